import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (package "chromium"), headless. Playwright's own browser
 * downloads are never used: the machine's browser is the one under test.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
