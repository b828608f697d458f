// `dreambench view --logs` in a real browser (Debian's chromium through harness/testing/chromium.ts),
// over the sample logs of every format and the memory a dream wrote from them: the conversations
// are the home page when no run is served, search and filters narrow the table, a Claude Code
// session opens turn by turn with its tool calls and its failed tool result, and its memory entry
// leads back to it. The same pages exported with --export open from file:// with no server: search,
// filters and conversations work offline. No console errors, no request leaves the machine. Skips
// only without chromium.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { CHROMIUM, hasChromium, launchChromium, watchPage } from '../testing/chromium.js';
import { tempDir } from '../testing/run-helpers.js';
import { compiledViewClient, serveLogsWithMemory } from '../testing/view-fixtures.js';
import { exportStatic } from './export.js';
import { createLogApi } from './log-api.js';
import { loadLogCatalog } from './log-conversations.js';
import { readLogMemory } from './log-memory.js';
import type { ViewServer } from './server.js';

const SAMPLES = join(packageRoot(), 'examples', 'logs');
const OUT = join(packageRoot(), 'test-output');
const CLAUDE_SESSION = '5f0c6a1e-3b7d-4c2a-9e51-0d1f2a3b4c5d';
if (!hasChromium)
  process.stderr.write(
    `logs.browser.test: ${CHROMIUM} is absent, so the browser test is SKIPPED (install it: apt-get install -y chromium)\n`,
  );

describe.skipIf(!hasChromium)(
  hasChromium ? 'dreambench view --logs in chromium' : `dreambench view --logs in chromium (skipped: ${CHROMIUM} is absent)`,
  () => {
    let server: ViewServer;
    let browser: Browser;
    let page: Page;
    let memoryDir: string;
    const errors: string[] = [];
    const external: string[] = [];

    /** Act, then wait until the page has finished rendering (the page counts its renders). */
    async function settle(action: () => Promise<unknown>): Promise<void> {
      const before = (await page.locator('body').getAttribute('data-renders')) ?? '0';
      await action();
      await page.waitForSelector(`body[data-renders]:not([data-renders="${before}"])`, { state: 'attached' });
    }

    beforeAll(async () => {
      memoryDir = join(tempDir('dreambench-view-logs-browser-'), 'mem');
      server = await serveLogsWithMemory([SAMPLES], memoryDir);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await watchPage(page, errors, external, { allowed: [new URL(server.url).origin, 'data:'] });
      await settle(() => page.goto(server.url));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('shows the conversations as the home page, with format, session and outcome source', async () => {
      await expect(page.locator('#log-table tbody tr').count()).resolves.toBe(12);
      await expect(page.locator('#logs-found').textContent()).resolves.toMatch(/read 12 transcripts from .*claude-code.*otel/);
      const row = page.locator(`tr[data-log="${CLAUDE_SESSION}"]`);
      await expect(row.locator('td').nth(2).textContent()).resolves.toBe('claude-code');
      await expect(row.locator('td.outcome').textContent()).resolves.toBe('not completed (signals)');
      expect(errors).toEqual([]);
    });

    it('narrows the table by a text search and by format', async () => {
      await settle(() => page.fill('#log-search', 'order 5512').then(() => page.press('#log-search', 'Enter')));
      await expect(page.locator('#log-table tbody tr').getAttribute('data-log')).resolves.toBe('support-4411');
      expect(page.url()).toContain('q=order');
      await settle(() => page.click('#log-filter-clear'));
      await settle(() => page.selectOption('#log-filter-format', 'inspect'));
      const formats = await page.locator('#log-table tbody tr td:nth-child(3)').allTextContents();
      expect(formats).toEqual(['inspect', 'inspect']);
      await settle(() => page.click('#log-filter-clear'));
      expect(errors).toEqual([]);
    });

    it('opens a Claude Code session turn by turn, with its tool calls, the failed result and the memory it taught', async () => {
      await settle(() => page.click(`tr[data-log="${CLAUDE_SESSION}"] a`));
      await expect(page.locator('#log-title').textContent()).resolves.toBe(`Render the Acme NDA ${CLAUDE_SESSION}`);
      await expect(page.locator('#log-outcome').textContent()).resolves.toMatch(
        /not completed \(from the log's signals: a user's correction or a test run\).*6 turns.*4 tool calls/,
      );
      await expect(page.locator('#log-file').textContent()).resolves.toMatch(/claude-code\/contracts-app\/5f0c6a1e-/);
      await expect(page.locator('.turn').count()).resolves.toBe(6);
      await expect(page.locator('.turn .tool-use strong').allTextContents()).resolves.toEqual([
        'tool call: render_docx',
        'tool call: render_docx',
        'tool call: Task',
        'tool call: render_docx',
      ]);
      await expect(page.locator('.tool-result.error').count()).resolves.toBe(1);
      await expect(page.locator('.tool-result.error').textContent()).resolves.toMatch(/tool error.*rejects nested numbering/);
      // The tokens the session file reports: the session's total, and each turn's in its header.
      await expect(page.locator('#log-tokens').textContent()).resolves.toBe(
        'tokens: in 3,610 · out 702 · cache read 26,000 · cache write 2,710',
      );
      await expect(page.locator('.turn-head').first().textContent()).resolves.toBe('turn 1in 6out 164cache read 11,800 / write 2,400');
      await expect(page.locator('#log-feedback').textContent()).resolves.toMatch(/dates must be written like 2026-11-20/);
      await expect(page.locator('#log-memory li').first().textContent()).resolves.toMatch(/in memory/);
      await expect(page.locator('#log-memory').textContent()).resolves.toContain('render_docx.numbering="legal-flat"');
      await page.screenshot({ path: join(OUT, 'view-log-conversation.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('lists the memory with links back to the conversations that taught each entry', async () => {
      await settle(() => page.goto(`${server.url}#/logs/memory`));
      const entry = page.locator('#logs-memory li', { hasText: 'render_docx.numbering="legal-flat"' }).first();
      await settle(() => entry.locator(`a.source-conversation:text-is("${CLAUDE_SESSION}")`).click());
      await expect(page.locator('#log-title').textContent()).resolves.toContain(CLAUDE_SESSION);
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    });

    it('exports the logs as a static copy that opens from file:// and searches, filters and links offline', async () => {
      const out = join(tempDir('dreambench-view-logs-export-'), 'share');
      const logs = createLogApi(loadLogCatalog({ roots: [SAMPLES] }), readLogMemory(memoryDir));
      const summary = await exportStatic({ paths: [], out, assetsDir: compiledViewClient(), logs });
      expect(summary).toMatchObject({ runs: 0, conversations: 12 });
      const offline = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const offlineErrors: string[] = [];
      await watchPage(offline, offlineErrors, external);
      const table = '#log-table tbody tr';
      /** Wait until the page shows the conversations table with `rows` rows. */
      const showsRows = (rows: number): Promise<void> => expect.poll(() => offline.locator(table).count(), { timeout: 10_000 }).toBe(rows);
      await offline.goto(pathToFileURL(join(out, 'index.html')).href);
      await offline.waitForSelector('#log-table');
      await expect(offline.locator(table).count()).resolves.toBe(12);
      await expect(offline.locator('#logs-found').textContent()).resolves.toMatch(/read 12 transcripts from .*claude-code/);
      // Search: the conversation's whole text, tool inputs and results included, searched in the page.
      await offline.fill('#log-search', 'order 5512');
      await offline.press('#log-search', 'Enter');
      await showsRows(1);
      await expect(offline.locator(table).getAttribute('data-log')).resolves.toBe('support-4411');
      await expect(offline.locator('#log-count').textContent()).resolves.toMatch(/^1 conversations/);
      await offline.click('#log-filter-clear');
      await showsRows(12);
      await offline.selectOption('#log-filter-format', 'inspect');
      await showsRows(2);
      await expect(offline.locator('#log-table tbody tr td:nth-child(3)').allTextContents()).resolves.toEqual(['inspect', 'inspect']);
      await offline.click('#log-filter-clear');
      await showsRows(12);
      // A conversation, turn by turn, with the memory it taught; then the memory page leads back to it.
      await offline.click(`tr[data-log="${CLAUDE_SESSION}"] a`);
      await offline.waitForSelector('#log-title');
      await expect(offline.locator('#log-title').textContent()).resolves.toBe(`Render the Acme NDA ${CLAUDE_SESSION}`);
      await expect(offline.locator('.turn').count()).resolves.toBe(6);
      await expect(offline.locator('.tool-result.error').textContent()).resolves.toMatch(/rejects nested numbering/);
      await expect(offline.locator('#log-memory').textContent()).resolves.toContain('render_docx.numbering="legal-flat"');
      await offline.evaluate('location.hash = "#/logs/memory"');
      await offline.waitForSelector('#logs-memory');
      const entry = offline.locator('#logs-memory li', { hasText: 'render_docx.numbering="legal-flat"' }).first();
      await entry.locator(`a.source-conversation:text-is("${CLAUDE_SESSION}")`).click();
      await offline.waitForSelector('#log-title');
      await expect(offline.locator('#log-title').textContent()).resolves.toContain(CLAUDE_SESSION);
      await offline.screenshot({ path: join(OUT, 'view-logs-export.png'), fullPage: true });
      await offline.close();
      expect(offlineErrors).toEqual([]);
      expect(external).toEqual([]);
    }, 120_000);
  },
);
