// The screenshots in docs/screenshots/ (shown in the README): Parley's real window, built as
// Electron loads it, in Chromium through the test stand-in for the preload, showing the design
// fixtures (renderer/src/fixtures.ts) so the people, rooms and devices look like real use.
//   npm run screenshots            (needs Chromium at /usr/bin/chromium, Debian package "chromium")
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { AppSnapshot } from '../electron/api/contract.js';
import { browseSnapshot, FIXTURE_NOW, idleSnapshot, roomSnapshot, settingsSnapshot } from '../renderer/src/fixtures.js';
import { createPreviewApi } from '../renderer/src/preview/preview-api.js';
import { openWindow } from '../test/support/api-bridge.js';
import { launchChromium } from '../test/support/chromium.js';
import { buildWindow, serveFolder } from '../test/support/static-site.js';

const OUT_DIR = join(import.meta.dirname, '../docs/screenshots');
const VIEWPORT = { width: 1000, height: 700 };

interface Shot {
  name: string;
  snapshot: AppSnapshot;
  /** A taller window for a screen with more on it: a full-page picture would leave the control bar (sticky at the window's foot) in the middle. */
  height?: number;
  /** What a user does to get there from the window as it opens. */
  reach(page: Page): Promise<void>;
}

const SHOTS: Shot[] = [
  { name: 'connect', snapshot: idleSnapshot, reach: (page) => page.getByRole('heading', { level: 1, name: 'Talk with friends' }).waitFor() },
  { name: 'connect-rooms', snapshot: browseSnapshot, reach: (page) => page.getByRole('heading', { level: 2, name: 'Rooms on voice.example.org:47000' }).waitFor() },
  { name: 'room', snapshot: roomSnapshot, height: 1140, reach: (page) => page.getByRole('heading', { level: 1, name: 'Raid night' }).waitFor() },
  {
    name: 'settings',
    snapshot: settingsSnapshot,
    reach: async (page) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    },
  },
];

async function shoot(browser: Browser, windowUrl: string, shot: Shot, colorScheme: 'light' | 'dark'): Promise<string[]> {
  const problems: string[] = [];
  const context = await browser.newContext({ viewport: { ...VIEWPORT, height: shot.height ?? VIEWPORT.height }, colorScheme });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // "2 hours ago" in the recent list is counted from the fixtures' own moment.
  await page.clock.setFixedTime(FIXTURE_NOW);
  const bridge = await openWindow(page, createPreviewApi(shot.snapshot).api, windowUrl);
  await shot.reach(page);
  // Focus rings from the screen's own focus-on-mount are for keyboard users, not for pictures.
  await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  if (overflow > 0) problems.push(`the page is ${overflow}px wider than the window`);
  await page.screenshot({ path: join(OUT_DIR, `${shot.name}-${colorScheme}.png`), fullPage: true });
  bridge.close();
  problems.push(...bridge.failures.map((failure) => `snapshot delivery: ${failure.message}`));
  await context.close();
  return problems.map((problem) => `${shot.name}-${colorScheme}: ${problem}`);
}

const work = await mkdtemp(join(tmpdir(), 'parley-screenshots-'));
await buildWindow(work);
const site = await serveFolder(work);
const browser = await launchChromium();
const problems: string[] = [];
try {
  await mkdir(OUT_DIR, { recursive: true });
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const shot of SHOTS) problems.push(...(await shoot(browser, `${site.url}index.html`, shot, colorScheme)));
  }
} finally {
  await browser.close();
  await site.close();
  await rm(work, { recursive: true, force: true });
}
for (const problem of problems) console.log(problem);
console.log(`${SHOTS.length * 2} screenshots in docs/screenshots/, ${problems.length} problem(s)`);
process.exitCode = problems.length === 0 ? 0 : 1;
