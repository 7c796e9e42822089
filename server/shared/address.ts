/**
 * A host as written before `:port`: IPv6 literals in brackets (`[::1]`), as
 * URLs and every address box expect, so the port cannot be read as part of
 * the address. Host names and IPv4 literals never contain a colon.
 */
export function bracketHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** `host:port` for people and logs: `203.0.113.5:47000`, `[2001:db8::1]:47000`. */
export function formatAddress(host: string, port: number): string {
  return `${bracketHost(host)}:${port}`;
}
