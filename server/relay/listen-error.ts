import { formatAddress } from '../shared/address.js';

export type ListenFailure = 'portInUse' | 'permissionDenied' | 'addressUnavailable' | 'unknown';

/**
 * Why a socket could not listen on host and port (the relay's UDP socket, the
 * metrics endpoint's TCP one), in words for the person who chose them.
 */
export function explainListenError(error: NodeJS.ErrnoException, transport: 'UDP' | 'TCP', host: string, port: number): { code: ListenFailure; message: string } {
  const where = formatAddress(host, port);
  switch (error.code) {
    case 'EADDRINUSE':
      return { code: 'portInUse', message: `${transport} port ${port} is already in use (EADDRINUSE): another relay or program has it. Choose another port.` };
    case 'EACCES':
      return { code: 'permissionDenied', message: `Not allowed to listen on ${transport} ${where} (EACCES): ports below 1024 need extra privileges.` };
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return { code: 'addressUnavailable', message: `This machine has no address ${host} (${error.code}).` };
    default:
      return { code: 'unknown', message: `Could not listen on ${transport} ${where}: ${error.message}` };
  }
}
