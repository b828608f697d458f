// report.html in a real browser: Debian's chromium, driven by playwright-core, opening the file
// over file:// with every other request refused. Skips (saying why) only when /usr/bin/chromium is
// absent; .ci/run installs it.

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { packageRoot } from '../harness/core/paths.js';
import { tempDir } from '../harness/testing/run-helpers.js';
import { writeRunReport } from './run-report.js';
import { writeSyntheticRun } from './synthetic-run.js';
import { CHROMIUM, hasChromium, launchChromium, watchPage } from '../harness/testing/chromium.js';

const OUT = join(packageRoot(), 'test-output');
if (!hasChromium) {
  process.stderr.write(
    `report.browser.test: ${CHROMIUM} is absent, so the browser test is SKIPPED (install it: apt-get install -y chromium)\n`,
  );
}

describe.skipIf(!hasChromium)(hasChromium ? 'report.html in chromium' : `report.html in chromium (skipped: ${CHROMIUM} is absent)`, () => {
  let browser: Browser;
  let page: Page;
  let root: string;
  const external: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.25 },
        { name: 'learnings-md', rate: (s) => 0.25 + 0.07 * s, memory: 'learnings' },
        { name: 'dreaming', rate: (s) => 0.25 + 0.1 * s, memory: 'dreaming', graderAgreement: 0.85 },
      ],
      sessions: 6,
      replicates: 2,
      tasksPerSession: 10,
    });
    await writeRunReport(root, { B: 400 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await watchPage(page, errors, external);
    await page.goto(pathToFileURL(join(root, 'report', 'report.html')).href);
    mkdirSync(OUT, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens offline with no error and says the results describe the harness', async () => {
    await expect(page.locator('#sim-note').textContent()).resolves.toMatch(/describe the harness, not any real model/);
    await expect(page.locator('#summary-table tbody tr').count()).resolves.toBe(3);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it('draws the charts', async () => {
    await page.click('#tab-charts');
    await page.waitForSelector('#chart-completion');
    // Evaluated in the page (a string: this project type-checks without the DOM library).
    const painted = (await page.evaluate(`[...document.querySelectorAll('#section-charts canvas')].map((c) => {
      const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
      let ink = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      return { id: c.id, width: c.width, height: c.height, ink };
    })`)) as Array<{ id: string; width: number; height: number; ink: number }>;
    expect(painted.map((p) => p.id).sort()).toEqual(['chart-completion', 'chart-grader', 'chart-memory', 'chart-time', 'chart-tokens']);
    for (const p of painted) {
      expect(p.width, p.id).toBeGreaterThan(200);
      expect(p.ink, p.id).toBeGreaterThan(2000);
    }
    await expect(page.locator('#section-charts table.heat').count()).resolves.toBe(3);
    await page.screenshot({ path: join(root, 'report', 'screenshot.png'), fullPage: true });
    copyFileSync(join(root, 'report', 'screenshot.png'), join(OUT, 'report-charts.png'));
    expect(errors).toEqual([]);
  });

  it('filters the trial table and the summary by family and arm', async () => {
    await page.click('#tab-trials');
    const all = await page.locator('#trial-count').textContent();
    expect(all).toMatch(/^360 trials/);
    const family = await page.locator('#filter-family option').nth(1).getAttribute('value');
    await page.selectOption('#filter-family', family!);
    const some = await page.locator('#trial-count').textContent();
    const n = Number(/^(\d+) trials/.exec(some!)![1]);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(360);
    const families = await page.locator('#trial-table tbody tr td:nth-child(6)').allTextContents();
    expect(new Set(families)).toEqual(new Set([family]));
    await page.uncheck('input[data-arm="stateless"]');
    const fewer = Number(/^(\d+) trials/.exec((await page.locator('#trial-count').textContent())!)![1]);
    expect(fewer).toBeLessThan(n);
    await page.check('input[data-arm="stateless"]');
    await page.selectOption('#filter-family', '');
    await expect(page.locator('#trial-count').textContent()).resolves.toMatch(/^360 trials/);
  });

  it('opens a transcript from the trial table', async () => {
    await page.check('#trial-failures');
    const first = page.locator('#trial-table tbody tr').first();
    const id = await first.getAttribute('data-trial');
    await first.click();
    await expect(page.locator('dialog#transcript').getAttribute('open')).resolves.not.toBeNull();
    await expect(page.locator('dialog#transcript h2').textContent()).resolves.toBe(id);
    const body = await page.locator('#transcript-body').textContent();
    expect(body).toMatch(/not completed/);
    expect(body).toMatch(/tool call: write_section/);
    expect(body).toMatch(/tool error/);
    await page.screenshot({ path: join(OUT, 'report-transcript.png') });
    await page.click('#transcript-close');
    await page.uncheck('#trial-failures');
  });

  it("steps the memory viewer through sessions and follows a dream's evidence to its transcript", async () => {
    await page.click('#tab-memory');
    await page.selectOption('#mem-arm', 'dreaming');
    // It opens on the first snapshot that holds something, never on an empty "before session 1".
    await expect(page.locator('#mem-session').textContent()).resolves.not.toMatch(/initial memory/);
    await expect(page.locator('#mem-session').textContent()).resolves.toMatch(/^after session 1 \(1 of 6\)/);
    await page.click('#mem-next');
    await page.click('#mem-next');
    await expect(page.locator('#mem-session').textContent()).resolves.toMatch(/^after session 3 \(3 of 6\)/);
    await expect(page.locator('#mem-files .added').count()).resolves.toBeGreaterThan(0);
    // Entries are shown and diffed without their provenance comments, which sit behind a toggle.
    await expect(page.locator('#mem-files pre').first().textContent()).resolves.not.toMatch(/<!--/);
    await expect(page.locator('#mem-provenance').isChecked()).resolves.toBe(false);
    await expect(page.locator('#mem-dream').textContent()).resolves.toMatch(/Dream after session 3/);
    await page.click('#mem-prev');
    await expect(page.locator('#mem-session').textContent()).resolves.toMatch(/^after session 2/);
    await page.screenshot({ path: join(OUT, 'report-memory.png'), fullPage: true });
    const link = page.locator('#mem-dream a.trial-link').first();
    const id = await link.getAttribute('data-trial');
    await link.click();
    await expect(page.locator('dialog#transcript h2').textContent()).resolves.toBe(id);
    await expect(page.locator('#transcript-body').textContent()).resolves.toMatch(/Transcript \(\d+ messages/);
    await page.click('#transcript-close');
  });

  it('shows the claim verdicts with the sim label', async () => {
    await page.click('#tab-claims');
    const rows = page.locator('#claims-table tbody tr');
    await expect(rows.count()).resolves.toBe(7);
    const text = await page.locator('#claims-table').textContent();
    expect(text).toMatch(/not applicable/);
    expect(text).toMatch(/describes the harness, not a model/);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
