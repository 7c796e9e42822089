import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { gateway4async } from 'default-gateway';

/** The home router as this machine sees it: its address, and ours on the same network. */
export interface LocalNetwork {
  gateway: string;
  lanAddress: string;
}

/**
 * Finds the default IPv4 gateway, and the address this machine uses to reach
 * it (what a router forwards to, and what "forward UDP … to …" must name). A
 * connected UDP socket asks the kernel's routing table; nothing is sent.
 * Resolves undefined where there is no default route.
 */
export async function findLocalNetwork(): Promise<LocalNetwork | undefined> {
  let gateway: string;
  try {
    gateway = (await gateway4async()).gateway;
  } catch {
    return undefined;
  }
  const lanAddress = await sourceAddressToward(gateway).catch(() => undefined);
  return lanAddress ? { gateway, lanAddress } : undefined;
}

function sourceAddressToward(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    // The NAT-PMP port; connect() only picks a route and a source address.
    socket.connect(5351, host, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}

/** Where no default route says which: this machine's first IPv4 address that is not loopback, if any. */
export function anyLanAddress(): string | undefined {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (!entry.internal && entry.family === 'IPv4') return entry.address;
  }
  return undefined;
}
