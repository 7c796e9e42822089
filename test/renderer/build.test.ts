import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';

const configFile = join(import.meta.dirname, '../../vite.renderer.config.ts');
const POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

async function buildTo(mode: 'production' | 'preview', outDir: string): Promise<{ html: string; js: string; css: string }> {
  await build({ configFile, mode, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  const assets = await readdir(join(outDir, 'assets'));
  const read = (suffix: string): Promise<string> =>
    Promise.all(assets.filter((a) => a.endsWith(suffix)).map((a) => readFile(join(outDir, 'assets', a), 'utf8'))).then((parts) => parts.join('\n'));
  const html = await readFile(join(outDir, mode === 'preview' ? 'preview.html' : 'index.html'), 'utf8');
  return { html, js: await read('.js'), css: await read('.css') };
}

describe('the built window', () => {
  let dir: string;
  let app: { html: string; js: string; css: string };
  let preview: { html: string; js: string; css: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-renderer-'));
    app = await buildTo('production', join(dir, 'app'));
    preview = await buildTo('preview', join(dir, 'preview'));
  }, 120_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('carries the Content-Security-Policy in a meta tag', () => {
    const policies = [...app.html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/g)].map((m) => m[1]);
    expect(policies).toEqual([POLICY]);
  });

  it('has nothing inline that the policy would block', () => {
    const scripts = [...app.html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\.\/assets\/[^"]+\.js"/);
      expect(body).toBe('');
    }
    expect(app.html).not.toMatch(/<style\b/);
    expect(app.html).not.toMatch(/\sstyle="/);
    expect(app.html).not.toMatch(/\son[a-z]+="/);
    // script-src 'self' forbids eval and its relatives.
    expect(app.js).not.toMatch(/\beval\(|new Function\(/);
  });

  it('loads its files by relative paths, as Electron opens it from file://', () => {
    const urls = [...app.html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) expect(url.startsWith('./')).toBe(true);
    expect(app.css).not.toMatch(/url\((?!["']?(?:data:|\.\/|[a-z0-9-]+\.))/i);
  });

  it('leaves the preview, its fixtures and Node out of the app', () => {
    expect(app.js).not.toContain('Fixture data, not connected to Parley.');
    expect(app.js).not.toContain('voice.example.org');
    expect(app.js).not.toMatch(/["']node:[a-z]/);
    expect(app.html).toContain('<title>Parley</title>');
  });

  it('builds the preview separately, labelled as a preview', () => {
    expect(preview.html).toContain('<title>Parley design preview</title>');
    expect(preview.js).toContain('Fixture data, not connected to Parley.');
    expect(preview.js).toContain('voice.example.org');
  });
});
