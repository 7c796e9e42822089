import pino, { type Logger } from 'pino';

export type LogFormat = 'pretty' | 'json';

/**
 * Servers get JSON lines for their log collectors; a person at a terminal
 * gets readable lines. Logs go to stderr so stdout stays for what a command
 * reports (a relay's addresses, a client's stats lines).
 */
export function createLogger(level: string, format: LogFormat | undefined): Logger {
  const chosen = format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  if (chosen === 'pretty') {
    return pino({ level }, pino.transport({ target: 'pino-pretty', options: { destination: 2, translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } }));
  }
  return pino({ level }, pino.destination(2));
}
