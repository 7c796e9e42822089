import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { openWindow, type WindowBridge } from './api-bridge.js';
import { startAppInstance, type AppInstance, type AppInstanceOptions } from './app-instance.js';
import { launchChromium } from './chromium.js';
import { buildWindow, serveFolder, type StaticSite } from './static-site.js';

export interface RunningApp {
  app: AppInstance;
  page: Page;
  bridge: WindowBridge;
  /** Console errors and page errors: the window should have none. */
  problems: string[];
}

/**
 * Parleys for the tests of the enclosing describe, each the real controller
 * (real engine, embedded relay, UDP on loopback, WAV files for devices)
 * behind the built window in Chromium, with a stand-in for Electron's preload
 * and IPC in between. After each test every window is checked for console
 * errors and refused calls, and closed; the browser is shared by the file.
 */
export function chromiumApps(): (options?: AppInstanceOptions) => Promise<RunningApp> {
  let dir: string;
  let site: StaticSite;
  let browser: Browser;
  const running: RunningApp[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-e2e-'));
    await buildWindow(join(dir, 'window'));
    site = await serveFolder(join(dir, 'window'));
    browser = await launchChromium();
  }, 60_000);

  afterEach(async () => {
    for (const { page, bridge, problems } of running) {
      bridge.close();
      await page.close();
      expect(bridge.failures).toEqual([]);
      expect(problems).toEqual([]);
    }
    await Promise.all(running.splice(0).map(({ app }) => app.controller.shutdown()));
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await rm(dir, { recursive: true, force: true });
  });

  return async (options = {}) => {
    const app = await startAppInstance(options);
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    // Shorter than the test's own timeout, so a missing element is named in the failure.
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
    const bridge = await openWindow(page, app.controller, `${site.url}index.html`);
    const made = { app, page, bridge, problems };
    running.push(made);
    return made;
  };
}

/** Hosts a room from the window's Host form, as a user would, and waits for the room screen. */
export async function hostFromWindow(page: Page, host: { name: string; room: string; port: number }): Promise<void> {
  await page.getByLabel('Your name').fill(host.name);
  const hostForm = page.getByRole('form', { name: 'Host a room' });
  await hostForm.getByLabel('Room name').fill(host.room);
  await hostForm.getByLabel('Port').fill(String(host.port));
  await hostForm.getByRole('button', { name: 'Host room' }).click();
  await page.getByRole('heading', { level: 1, name: host.room }).waitFor();
}
