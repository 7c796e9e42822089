import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { build } from 'vite';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const rendererConfig = join(import.meta.dirname, '../../vite.renderer.config.ts');

/** Builds Parley's window (`npm run build:renderer`) into `outDir`: the very files Electron loads. */
export async function buildWindow(outDir: string): Promise<void> {
  await build({ configFile: rendererConfig, mode: 'production', logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

export interface StaticSite {
  /** Ends in "/"; the window is `${url}index.html`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a folder over HTTP on loopback, for Chromium to load the built
 * window from. Electron loads it from file://; a page served by an http
 * origin keeps the same relative paths and the same Content-Security-Policy
 * ('self' is the server). GET only, nothing outside the folder.
 */
export async function serveFolder(root: string): Promise<StaticSite> {
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    const refuse = (status: number): void => {
      response.writeHead(status).end();
    };
    if (request.method !== 'GET' || !file.startsWith(root.endsWith(sep) ? root : root + sep)) return refuse(404);
    stat(file).then(
      (info) => {
        if (!info.isFile()) return refuse(404);
        response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        createReadStream(file).pipe(response);
      },
      () => refuse(404),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
