// `dreambench view` in a real browser: Debian's chromium, driven by playwright-core, against the
// real server and against a static export opened from file://, with every request to anywhere else
// refused. Every page renders without console errors, the filters filter, a transcript shows its
// turns (thinking collapsed, an unknown block as JSON), and an approval in the browser changes the
// memory store once the run resumes. Skips (saying why) only when /usr/bin/chromium is absent.

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Changeset } from '../dreaming/changeset.js';
import { packageRoot } from '../core/paths.js';
import { executeRun } from '../runner/runner.js';
import { RunDir } from '../storage/run-dir.js';
import { tempDir } from '../testing/run-helpers.js';
import { compiledViewClient, writeViewFixture, type ViewFixture } from '../testing/view-fixtures.js';
import { exportStatic } from './export.js';
import { findLibreOffice, PREVIEWABLE } from './preview.js';
import { startViewServer, type ViewServer } from './server.js';
import type { Transcript } from '../agent/transcript.js';
import { readTranscript, writeTranscript } from '../storage/transcripts.js';
import { CHROMIUM, hasChromium, launchChromium, watchPage } from '../testing/chromium.js';

const countFiles = (dir: string, name = /./): number =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && name.test(e.name)).length : 0;

const OUT = join(packageRoot(), 'test-output');
if (!hasChromium)
  process.stderr.write(
    `view.browser.test: ${CHROMIUM} is absent, so the browser test is SKIPPED (install it: apt-get install -y chromium)\n`,
  );

describe.skipIf(!hasChromium)(
  hasChromium ? 'dreambench view in chromium' : `dreambench view in chromium (skipped: ${CHROMIUM} is absent)`,
  () => {
    let fx: ViewFixture;
    let server: ViewServer;
    let browser: Browser;
    let page: Page;
    const errors: string[] = [];
    const external: string[] = [];
    let thinkingTrial = '';

    /** Go to a hash route (or act) and wait until the page has finished rendering. */
    async function settle(action: () => Promise<unknown>): Promise<void> {
      // A selector, not waitForFunction: the page's Content-Security-Policy forbids evaluating strings.
      const before = (await page.locator('body').getAttribute('data-renders')) ?? '0';
      await action();
      await page.waitForSelector(`body[data-renders]:not([data-renders="${before}"])`, { state: 'attached' });
    }
    const visit = (hash: string): Promise<void> => settle(() => page.evaluate(`location.hash = ${JSON.stringify(hash)}`));

    beforeAll(async () => {
      fx = await writeViewFixture();
      // A transcript as newer models write it: a thinking block, a redacted one, and a block type this viewer does not know.
      const trial = new RunDir(fx.other).trials().find((t) => t.arm === 'stateless')!;
      thinkingTrial = `${trial.arm}/r${trial.replicate}/s${String(trial.session).padStart(3, '0')}/${String(trial.slot).padStart(3, '0')}-${trial.task}`;
      const path = join(fx.other, trial.transcript);
      const transcript = readTranscript(fx.other, trial.transcript) as { messages: Array<{ role: string; content: unknown }> };
      const reply = transcript.messages.find((m) => m.role === 'assistant' && Array.isArray(m.content))!;
      (reply.content as unknown[]).unshift(
        { type: 'thinking', thinking: 'The matter file first, then the guidelines.', signature: 'sig' },
        { type: 'redacted_thinking', data: 'ZW5jcnlwdGVk' },
        { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'firm template' } },
      );
      await writeTranscript(path, transcript as Transcript);

      server = await startViewServer({ paths: [join(fx.base, 'runs')], port: 0, assetsDir: compiledViewClient(), pollMs: 100 });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await watchPage(page, errors, external, { allowed: [new URL(server.url).origin, 'file:', 'data:'] });
      mkdirSync(OUT, { recursive: true });
      await settle(() => page.goto(`${server.url}?token=${server.token}`));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('lists the runs with status and success per arm, and takes the token out of the address', async () => {
      await expect(page.locator('#runs-table tbody tr').count()).resolves.toBe(2);
      await expect(page.locator('tr[data-run="review-run"]').textContent()).resolves.toMatch(/awaiting review/);
      await expect(page.locator('tr[data-run="auto-run"]').textContent()).resolves.toMatch(/dreaming: \d+\.\d%/);
      expect(page.url()).not.toContain('token=');
      expect(errors).toEqual([]);
    });

    it('filters and sorts the trials table', async () => {
      const total = new RunDir(fx.other).trials();
      await visit('#/run/auto-run');
      await expect(page.locator('#trial-count').textContent()).resolves.toMatch(new RegExp(`^${total.length} trials`));
      await settle(() => page.selectOption('#filter-arm', 'stateless'));
      const arms = await page.locator('#trial-table tbody tr td:nth-child(1)').allTextContents();
      expect(new Set(arms)).toEqual(new Set(['stateless']));
      await expect(page.locator('#trial-count').textContent()).resolves.toMatch(
        new RegExp(`^${total.filter((t) => t.arm === 'stateless').length} trials`),
      );
      await settle(() => page.selectOption('#filter-success', 'false'));
      const outcomes = await page.locator('#trial-table tbody tr td:nth-child(7)').allTextContents();
      expect(outcomes.length).toBe(total.filter((t) => t.arm === 'stateless' && !t.success).length);
      expect(new Set(outcomes)).toEqual(new Set(['no']));
      await settle(() => page.selectOption('#filter-success', ''));
      await settle(() => page.click('th[data-sort="turns"]'));
      await settle(() => page.click('th[data-sort="turns"]'));
      const turns = (await page.locator('#trial-table tbody tr td:nth-child(9)').allTextContents()).map(Number);
      expect(turns).toEqual([...turns].sort((a, b) => b - a));
      const pitfall = await page.locator('#filter-pitfall option').nth(1).getAttribute('value');
      await settle(() => page.selectOption('#filter-pitfall', pitfall!));
      const n = Number(/^(\d+) trials/.exec((await page.locator('#trial-count').textContent())!)![1]);
      expect(n).toBe(total.filter((t) => t.arm === 'stateless' && t.pitfalls_hit.includes(pitfall!)).length);
      await page.screenshot({ path: join(OUT, 'view-trials.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('shows a trial turn by turn, thinking collapsed and an unknown block as JSON', async () => {
      await visit(`#/run/auto-run/trial/${encodeURIComponent(thinkingTrial)}`);
      await expect(page.locator('#trial-title').textContent()).resolves.toBe(thinkingTrial);
      const record = new RunDir(fx.other)
        .trials()
        .find((t) => t.task === thinkingTrial.split('-').slice(1).join('-') && t.arm === 'stateless')!;
      await expect(page.locator('.turn').count()).resolves.toBe(record.turns);
      await expect(page.locator('details.system summary').first().textContent()).resolves.toBe('system prompt');
      await expect(page.locator('.turn .tool-use').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('.turn .tool-result').count()).resolves.toBeGreaterThan(0);
      const thinking = page.locator('details.thinking').first();
      await expect(thinking.getAttribute('open')).resolves.toBeNull();
      await expect(page.locator('details.thinking summary').allTextContents()).resolves.toEqual(['thinking', 'redacted thinking']);
      await expect(page.locator('details.unknown').first().textContent()).resolves.toMatch(/server_tool_use block[\s\S]*web_search/);
      await expect(page.locator('.turn-head').first().textContent()).resolves.toMatch(/turn 1.*in \d/);
      await expect(page.locator('#checks tr').count()).resolves.toBe(record.checks.length);
      await page.screenshot({ path: join(OUT, 'view-trial.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('lists the files a trial produced, for download', async () => {
      const t = fx.artifactTrial;
      const id = `${t.arm}/r${t.replicate}/s${String(t.session).padStart(3, '0')}/${String(t.slot).padStart(3, '0')}-${t.task}`;
      await visit(`#/run/review-run/trial/${encodeURIComponent(id)}`);
      await expect(page.locator('#artifacts li a').allTextContents()).resolves.toEqual(['draft.docx', 'notes.txt']);
      await expect(page.locator('#artifacts li').first().textContent()).resolves.toMatch(/PDF preview/);
      expect(errors).toEqual([]);
    });

    it('puts two arms on the same slot side by side', async () => {
      await visit('#/compare?a=auto-run&b=auto-run&arm=stateless&armB=dreaming&rep=1&session=2&slot=1');
      await expect(page.locator('#side-left h2.side-title').textContent()).resolves.toMatch(/stateless\/r1\/s002\/001-/);
      await expect(page.locator('#side-right h2.side-title').textContent()).resolves.toMatch(/dreaming\/r1\/s002\/001-/);
      await expect(page.locator('#side-left .turn').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('#side-right .turn').count()).resolves.toBeGreaterThan(0);
      await page.screenshot({ path: join(OUT, 'view-compare.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('shows memory over sessions with provenance, diffs and dream changesets', async () => {
      await visit('#/run/auto-run/memory?arm=dreaming&rep=1');
      await expect(page.locator('#mem-title').textContent()).resolves.toMatch(/^After session 3: \d+ entries/);
      const entries = await page.locator('#mem-entries .entry').count();
      expect(entries).toBeGreaterThan(0);
      await expect(page.locator('#mem-entries .provenance a.trial-link').count()).resolves.toBeGreaterThan(0);
      await settle(() => page.selectOption('#diff-from', '0'));
      await page.waitForSelector('#diff-summary');
      await expect(page.locator('#diff-summary').textContent()).resolves.toMatch(/session 0 → 3: \+\d+ added/);
      await expect(page.locator('#entry-diff .entry.added').count()).resolves.toBeGreaterThan(0);
      await expect(page.locator('details.changeset').count()).resolves.toBe(3);
      const link = page.locator('#mem-entries .provenance a.trial-link').first();
      const id = await link.getAttribute('data-trial');
      await settle(() => page.evaluate(`document.querySelector('#mem-entries .provenance a.trial-link').click()`));
      await expect(page.locator('#trial-title').textContent()).resolves.toBe(id);
      const session = Number(/\/s(\d+)\//.exec(id!)![1]);
      await settle(() => page.click('#memory-read'));
      await expect(page.locator('#mem-title').textContent()).resolves.toMatch(new RegExp(`^After session ${session - 1}:`));
      expect(errors).toEqual([]);
    });

    it('approves a pending change in the browser, and the resumed run writes it into the memory store', async () => {
      await visit('#/run/review-run/memory?arm=dreaming&rep=1');
      const path = join(fx.run, 'dreams', 'dreaming', 'r1', 'session-001.json');
      const before = JSON.parse(readFileSync(path, 'utf8')) as Changeset;
      const target = before.changes.find((c) => c.status === 'pending' && c.kind === 'add')!;
      await expect(page.locator('#review-token').inputValue()).resolves.toBe(server.token);
      await page.screenshot({ path: join(OUT, 'view-review.png'), fullPage: true });
      await settle(() => page.click(`.change[data-change="${target.n}"] button.approve`));
      await expect(page.locator(`.change[data-change="${target.n}"] .status`).textContent()).resolves.toBe('approved');
      const others = before.changes.filter((c) => c.status === 'pending' && c.n !== target.n);
      if (others.length > 0) await settle(() => page.click('details.changeset[open] button.reject-all'));
      const after = JSON.parse(readFileSync(path, 'utf8')) as Changeset;
      expect(after.status).toBe('reviewed');
      expect(after.changes.find((c) => c.n === target.n)).toMatchObject({ status: 'approved', review: { by: 'human' } });
      // The decision is recorded; the store after session 1 is written when the run resumes.
      expect(existsSync(join(fx.run, 'memory', 'dreaming', 'r1', 'session-001'))).toBe(false);

      await executeRun({ runDir: fx.run, resume: true });
      const store = readFileSync(join(fx.run, 'memory', 'dreaming', 'r1', 'session-001', 'notes.md'), 'utf8');
      expect(store).toContain(target.after!);
      await visit('#/run/review-run/memory?arm=dreaming&rep=1&session=1');
      await expect(page.locator('#mem-entries').textContent()).resolves.toContain(target.after!);
      expect(errors).toEqual([]);
    }, 180_000);

    it('updates the runs page live while a run writes trials', async () => {
      await visit('#/');
      const cell = page.locator('tr[data-run="auto-run"] td.trials');
      const before = Number(await cell.textContent());
      const record = new RunDir(fx.other).trials()[0]!;
      const dir = new RunDir(fx.other);
      // What a running run does: a trial record, then its journal line.
      await settle(async () => {
        dir.appendTrial({ ...record, slot: 99 });
        dir.event('trial_finished', { trial: `${record.arm}/r1/s001/099-${record.task}`, success: record.success });
      });
      await expect(cell.textContent()).resolves.toBe(String(before + 1));
      await expect(page.locator('#live').textContent()).resolves.toMatch(/auto-run: 1 new event/);
      expect(errors).toEqual([]);
    });

    it('exports a static copy that works from file:// with no server', async () => {
      const out = join(tempDir('dreambench-view-export-'), 'share');
      const summary = await exportStatic({ paths: [join(fx.base, 'runs')], out, assetsDir: compiledViewClient() });
      expect(summary.runs).toBe(2);
      // Every file the fixture runs kept as trial artifacts is copied (the runner keeps each trial's output).
      const kept = [fx.run, fx.other].reduce((n, run) => n + countFiles(join(run, 'artifacts')), 0);
      expect(kept).toBeGreaterThanOrEqual(fx.artifacts.length);
      expect(summary.copiedFiles).toBe(kept);
      // Every Word or PowerPoint file kept gets its PDF preview (all converted in one LibreOffice call).
      if (findLibreOffice())
        expect(summary.previews).toBe(
          countFiles(join(fx.run, 'artifacts'), PREVIEWABLE) + countFiles(join(fx.other, 'artifacts'), PREVIEWABLE),
        );
      await server.close();
      const offline = await browser.newPage();
      const offlineErrors: string[] = [];
      await watchPage(offline, offlineErrors, external);
      const wait = async (hash: string, selector: string): Promise<void> => {
        await offline.evaluate(`location.hash = ${JSON.stringify(hash)}`);
        await offline.waitForSelector(selector);
      };
      await offline.goto(pathToFileURL(join(out, 'index.html')).href);
      await offline.waitForSelector('#runs-table');
      await expect(offline.locator('#runs-table tbody tr').count()).resolves.toBe(2);
      await wait('#/run/auto-run?arm=dreaming&success=true', '#trial-table');
      const trials = new RunDir(fx.other).trials().filter((t) => t.arm === 'dreaming' && t.success);
      await expect(offline.locator('#trial-count').textContent()).resolves.toMatch(new RegExp(`^${trials.length} trials`));
      expect(new Set(await offline.locator('#trial-table tbody tr td:nth-child(1)').allTextContents())).toEqual(new Set(['dreaming']));
      await offline.locator('#trial-table tbody tr a').first().click();
      await offline.waitForSelector('.turn');
      await wait('#/run/auto-run/memory?arm=dreaming&rep=1', '#diff-summary');
      await expect(offline.locator('details.changeset').count()).resolves.toBe(3);
      await expect(offline.locator('button.approve').count()).resolves.toBe(0);
      await offline.screenshot({ path: join(OUT, 'view-export-memory.png'), fullPage: true });
      expect(offlineErrors).toEqual([]);
      expect(external).toEqual([]);
    }, 120_000);
  },
);
