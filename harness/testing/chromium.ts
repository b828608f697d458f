// Debian's Chromium for the browser tests, driven by playwright-core (no browser downloads): one
// place for its path and the flags that keep it headless and off the network (without the
// background-networking flags it tries Google's hosts at every start, which this machine refuses).

import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Watch a page as the browser tests check one: its script errors (and, unless `consoleErrors` is
 * false, its console errors) go to `errors`, and every request outside `allowed` (URL prefixes; by
 * default local files and data: URLs) is refused and listed in `external`, which proves the page
 * needs nothing from the network.
 */
export async function watchPage(
  page: Page,
  errors: string[],
  external: string[],
  { allowed = ['file:', 'data:'], consoleErrors = true }: { allowed?: readonly string[]; consoleErrors?: boolean } = {},
): Promise<void> {
  page.on('pageerror', (e) => errors.push(String(e)));
  if (consoleErrors)
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed.some((prefix) => url.startsWith(prefix))) return route.continue();
    external.push(url);
    return route.abort();
  });
}
