// report.html of a large run: the trial rows travel gzip-packed in a sidecar script beside the page
// (reports/html.ts), the page does not grow with the trials, and Debian's chromium loads and unpacks
// them offline from file:// with every other request refused. Skips (saying why) only when /usr/bin/chromium is absent.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { tempDir } from '../harness/testing/run-helpers.js';
import { PACK_TRIALS_FROM, SIDECAR_FILE, SIDECAR_GLOBAL } from './html.js';
import { writeRunReport } from './run-report.js';
import { writeSyntheticRun } from './synthetic-run.js';
import { CHROMIUM, hasChromium, launchChromium, watchPage } from '../harness/testing/chromium.js';

const TRIALS = 3 * 10 * 4 * 30; // arms x sessions x replicates x tasks per session

describe('report.html of a large run', () => {
  let root: string;

  beforeAll(async () => {
    root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.25 },
        { name: 'learnings-md', rate: (s) => 0.25 + 0.04 * s, memory: 'learnings' },
        { name: 'dreaming', rate: (s) => 0.25 + 0.05 * s, memory: 'dreaming' },
      ],
      sessions: 10,
      replicates: 4,
      tasksPerSession: 30,
      transcriptMessages: 4,
    });
    await writeRunReport(root, { B: 200, charts: false });
  }, 300_000);

  it('packs every trial row, gzip column by column, into the sidecar, and keeps them out of the page', () => {
    expect(TRIALS).toBeGreaterThanOrEqual(PACK_TRIALS_FROM);
    const html = readFileSync(join(root, 'report', 'report.html'), 'utf8');
    expect(statSync(join(root, 'report', 'report.html')).size).toBeLessThan(5e6);
    expect(html).toContain(`<script src="${SIDECAR_FILE}"></script>`);
    // The page's own data holds no trial row: what it embeds per trial is nothing (figures are per arm and session).
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!) as {
      trials: { rows: unknown[]; packed?: string };
    };
    expect(data.trials.rows).toEqual([]);
    expect(data.trials.packed).toBe('gzip-base64-columns-sidecar');
    const sidecar = readFileSync(join(root, 'report', SIDECAR_FILE), 'utf8');
    const packed = new RegExp(`window\\.${SIDECAR_GLOBAL} = "([A-Za-z0-9+/=]+)";`).exec(sidecar);
    expect(packed).not.toBeNull();
    const columns = JSON.parse(gunzipSync(Buffer.from(packed![1]!, 'base64')).toString('utf8')) as unknown[][];
    expect(columns[0]).toHaveLength(TRIALS);
    expect(new Set(columns[0]).size).toBe(TRIALS); // the id column: every trial once
  });

  describe.skipIf(!hasChromium)(hasChromium ? 'in chromium' : `in chromium (skipped: ${CHROMIUM} is absent)`, () => {
    let browser: Browser;
    afterAll(async () => {
      await browser?.close();
    });

    it('unpacks the trials offline and draws the summary, the filters and the trial table', async () => {
      browser = await launchChromium();
      const page = await browser.newPage();
      const errors: string[] = [];
      const external: string[] = [];
      await watchPage(page, errors, external, { consoleErrors: false });
      await page.goto(pathToFileURL(join(root, 'report', 'report.html')).href);
      await page.waitForSelector('#filter-count');
      await expect(page.locator('#filter-count').textContent()).resolves.toBe(`${TRIALS} of ${TRIALS} trials`);
      await page.click('#tab-trials');
      await expect(page.locator('#trial-count').textContent()).resolves.toMatch(new RegExp(`^${TRIALS} trials`));
      expect(await page.locator('#trial-table tbody tr').count()).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    }, 120_000);
  });
});
