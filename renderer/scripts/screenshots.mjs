// Screenshots of the design preview for looking at the UI: every fixture in
// light and dark, at 200 % zoom and with a 200 % root font size. Builds the preview first.
//   node renderer/scripts/screenshots.mjs [OUT_DIR] [FIXTURE_ID ...]
// Needs Chromium at /usr/bin/chromium (Debian package "chromium").
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';

const configFile = resolve(import.meta.dirname, '../../vite.renderer.config.ts');
const [outDir = 'scratch/screenshots', ...only] = process.argv.slice(2);

const FIXTURES = [
  'connect', 'first-run', 'connecting', 'unreachable', 'wrong-password', 'room-full', 'room', 'hosting',
  'unencrypted', 'reconnecting', 'push-to-talk', 'notices', 'settings', 'missing-device',
];
const VARIANTS = [
  { name: 'light', colorScheme: 'light', viewport: { width: 1000, height: 720 }, scale: 1 },
  { name: 'dark', colorScheme: 'dark', viewport: { width: 1000, height: 720 }, scale: 1 },
  // Browser zoom at 200 %: half the CSS pixels, twice the device pixels.
  { name: 'zoom200', colorScheme: 'light', viewport: { width: 500, height: 360 }, scale: 2 },
  // A large default font size (set in the system or browser), without zoom.
  { name: 'font200', colorScheme: 'dark', viewport: { width: 1000, height: 720 }, scale: 1, rootFontSize: '200%' },
];

await build({ configFile, mode: 'preview', logLevel: 'warn' });
const server = await preview({ configFile, mode: 'preview', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const base = server.resolvedUrls?.local[0];
if (!base) throw new Error('vite preview did not report its address');

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
});
await mkdir(outDir, { recursive: true });
let problems = 0;
try {
  for (const variant of VARIANTS) {
    const context = await browser.newContext({ viewport: variant.viewport, deviceScaleFactor: variant.scale, colorScheme: variant.colorScheme });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        problems += 1;
        console.log(`[${variant.name}] console ${message.type()}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => {
      problems += 1;
      console.log(`[${variant.name}] page error: ${error.message}`);
    });
    for (const fixture of FIXTURES.filter((f) => only.length === 0 || only.includes(f))) {
      await page.goto(`${base}preview.html?fixture=${fixture}`);
      await page.waitForSelector('.screen');
      // Through the CSSOM: the page's policy forbids injected <style> elements.
      if (variant.rootFontSize) await page.evaluate(`document.documentElement.style.fontSize = '${variant.rootFontSize}'`);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      if (overflow > 0) {
        problems += 1;
        console.log(`[${variant.name}] ${fixture}: page is ${overflow}px wider than the window`);
      }
      await page.screenshot({ path: `${outDir}/${fixture}-${variant.name}.png`, fullPage: true });
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${problems} problem(s); screenshots in ${outDir}`);
process.exitCode = problems === 0 ? 0 : 1;
