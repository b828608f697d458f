import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../harness/testing/run-helpers.js';
import { ALL_TRANSCRIPTS_UP_TO, buildHtmlPayload, scriptSafeJson, type HtmlPayload } from './html.js';
import { analyse } from './analysis.js';
import { loadRunData } from './run-data.js';
import { writeRunReport, type RunReportResult } from './run-report.js';
import { writeSyntheticRun } from './synthetic-run.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function payloadOf(html: string): HtmlPayload {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no embedded data');
  return JSON.parse(m[1]!) as HtmlPayload;
}

describe('the report folder', () => {
  let root: string;
  let result: RunReportResult;

  beforeAll(async () => {
    root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.2 },
        { name: 'learnings-md', rate: (s) => 0.2 + 0.08 * s, memory: 'learnings' },
        { name: 'dreaming', rate: (s) => 0.2 + 0.1 * s, memory: 'dreaming', graderAgreement: 0.85 },
      ],
      sessions: 5,
      replicates: 2,
      tasksPerSession: 8,
    });
    result = await writeRunReport(root, { B: 400 });
  }, 60_000);

  it('writes every file', () => {
    for (const f of ['summary.csv', 'summary.md', 'trials.csv', 'report.md', 'claims.md', 'report.json', 'report.html']) {
      expect(existsSync(join(root, 'report', f)), f).toBe(true);
    }
    for (const png of ['completion', 'cost-tokens', 'time', 'memory', 'pitfalls', 'grader-agreement']) {
      const buf = readFileSync(join(root, 'report', 'charts', `${png}.png`));
      expect(buf.subarray(0, 8).equals(PNG), png).toBe(true);
      expect(buf.length, png).toBeGreaterThan(10_000);
    }
  });

  it('writes one trials.csv row per trial', () => {
    const rows = parse(readFileSync(join(root, 'report', 'trials.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(3 * 5 * 2 * 8);
    expect(rows[0]!.trial_id).toBe('stateless/r1/s001/000-' + rows[0]!.task);
    expect(rows.filter((r) => r.arm === 'dreaming').every((r) => r.grader_success === 'true' || r.grader_success === 'false')).toBe(true);
    expect(rows.filter((r) => r.arm === 'stateless').every((r) => r.grader_success === '')).toBe(true);
  });

  it('writes report.json with comparisons, curves, memory, pitfalls, grader agreement and claims', () => {
    const json = JSON.parse(readFileSync(join(root, 'report', 'report.json'), 'utf8'));
    expect(json.format).toBe('dreambench.report/v1');
    expect(json.note).toMatch(/describe the harness/);
    expect(json.comparisons.map((c: { arm: string }) => c.arm)).toEqual(['learnings-md', 'dreaming']);
    // The interval follows the run's design (harness/stats RUN_DESIGN_OPTIONS), and report.json says how.
    expect(json.bootstrap).toMatchObject({
      cluster: 'task',
      interval: 'expanded',
      strata: 'family',
      post_strata: 'session',
      shared_state: 'replicate-family',
    });
    for (const c of json.comparisons) {
      expect(c.difference.inflation).toBeGreaterThanOrEqual(1);
      expect(Array.isArray(c.difference.notes)).toBe(true);
      expect(c.difference.flags).not.toContain('single_replicate');
      expect(c.difference.lo).toBeLessThanOrEqual(c.difference.estimate);
      expect(c.p_holm).toBeGreaterThanOrEqual(c.mcnemar.p);
      expect(c.mde.mde).toBeGreaterThan(0);
    }
    expect(json.curves[2].slope.estimate).toBeGreaterThan(0);
    expect(json.memory.find((m: { arm: string; session: number }) => m.arm === 'dreaming' && m.session === 5).entries).toBeGreaterThan(0);
    expect(json.pitfalls.ids.length).toBeGreaterThan(0);
    expect(json.grader).toHaveLength(1);
    expect(json.grader[0].arm).toBe('dreaming');
    expect(json.claims.length).toBe(7);
    expect(json.charts.map((c: { file: string }) => c.file)).toContain('grader-agreement.png');
  });

  it('writes report.md with the tables a paper appendix needs', () => {
    const md = readFileSync(join(root, 'report', 'report.md'), 'utf8');
    expect(md.split('\n')[0]).toMatch(/^> \*\*Note: these results come from the built-in `sim` model/);
    for (const h of ['## Summary', '## Learning curves', '## Comparisons with stateless', '## Claims', '## Methods'])
      expect(md).toContain(h);
    expect(md).toMatch(/\| dreaming \| \d+ \| \d+ \| [\d.]+% \| [\d.]+% \| [+−][\d.]+ pts \[/);
    expect(md).toContain('Holm');
    expect(md).toContain('MDE');
    expect(md).toMatch(/## Grader agreement[\s\S]*\| dreaming \| 80 \|/);
    expect(readFileSync(join(root, 'report', 'claims.md'), 'utf8')).toMatch(/not applicable/);
  });

  it('writes report.html as one self-contained file', () => {
    const html = readFileSync(join(root, 'report', 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Chart.js v4');
    // Nothing is loaded from anywhere: no external scripts, styles, images, fonts or fetches.
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toContain("connect-src 'none'");
    const payload = payloadOf(html);
    expect(payload.trials.rows).toHaveLength(240);
    expect(Object.keys(payload.transcripts)).toHaveLength(240); // small run: every transcript
    expect(payload.memory.snapshots.length).toBe(3 * 2 * 5);
    expect(payload.memory.dreams.length).toBe(2 * 5);
    expect(payload.model.claims.length).toBe(7);
  });

  it('prints the completion table and times each step', () => {
    expect(result.table).toMatch(/^arm\s+s1/);
    expect(Object.keys(result.timings_ms)).toEqual(['load', 'csv', 'statistics', 'charts', 'markdown', 'html', 'json']);
  });

  it('gives the same numbers when rewritten (seeded bootstraps)', async () => {
    const data = await loadRunData(root, { suites: false });
    const a = analyse(data, { B: 300, now: new Date(0) });
    const b = analyse(data, { B: 300, now: new Date(0) });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('a report is a function of the trials, not of their order', () => {
  it('gives the same bytes when trials.jsonl lists the same trials in another order', async () => {
    const root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.2 },
        { name: 'learnings-md', rate: (s) => 0.2 + 0.1 * s, memory: 'learnings' },
      ],
      sessions: 3,
      replicates: 2,
      tasksPerSession: 6,
      transcripts: false,
    });
    const files = ['report.md', 'report.json', 'summary.csv', 'trials.csv', 'claims.md', 'report.html'];
    const read = () => files.map((f) => readFileSync(join(root, 'report', f), 'utf8'));
    await writeRunReport(root, { B: 200, charts: false });
    const first = read();
    const path = join(root, 'trials.jsonl');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    // Reversed, then interleaved: clusters first seen in another order.
    const reordered = [...lines]
      .reverse()
      .filter((_, i) => i % 2 === 0)
      .concat([...lines].reverse().filter((_, i) => i % 2 === 1));
    expect(reordered).not.toEqual(lines);
    writeFileSync(path, reordered.join('\n') + '\n');
    await writeRunReport(root, { B: 200, charts: false });
    const second = read();
    files.forEach((f, i) => expect(second[i], f).toBe(first[i]));
  }, 60_000);
});

describe('a one-replicate run with a learning arm', () => {
  it("says under the comparison how the memory's luck was estimated with one replicate", async () => {
    const root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.2 },
        { name: 'learnings-md', rate: (s) => 0.2 + 0.15 * s, memory: 'learnings' },
      ],
      sessions: 3,
      replicates: 1,
      tasksPerSession: 8,
      transcripts: false,
    });
    await writeRunReport(root, { B: 200 });
    const json = JSON.parse(readFileSync(join(root, 'report', 'report.json'), 'utf8'));
    const d = json.comparisons[0].difference;
    // The synthetic run's families are too small to resample within: the one replicate's families are
    // the blocks of the memory's luck (learnings-md carries memory), resampled across the run.
    expect(d.flags).toContain('strata_fallback');
    expect(d.flags).not.toContain('single_replicate');
    expect(d.shared_state).toBe('replicate-family');
    expect(readFileSync(join(root, 'report', 'report.md'), 'utf8')).toMatch(
      /learnings-md: .*Interval: .*replicate × family blocks, resampled across families/,
    );
  }, 60_000);
});

describe('a run with no finished trial yet', () => {
  it('still writes a report that says so', async () => {
    const root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [{ name: 'stateless', rate: () => 0.5 }],
      sessions: 1,
      replicates: 1,
      tasksPerSession: 1,
      transcripts: false,
    });
    writeFileSync(join(root, 'trials.jsonl'), '');
    const result = await writeRunReport(root, { B: 100 });
    expect(result.table).toBe('(no trials)');
    expect(result.model.counts.trials).toBe(0);
    expect(existsSync(join(root, 'report', 'report.html'))).toBe(true);
    expect(readFileSync(join(root, 'report', 'report.md'), 'utf8')).toContain('0 trials');
  });
});

describe('report.html bounds', () => {
  it('embeds a bounded set of transcripts for a large run, and says which', async () => {
    const root = join(tempDir(), 'run');
    writeSyntheticRun({
      root,
      arms: [
        { name: 'stateless', rate: () => 0.5 },
        { name: 'dreaming', rate: () => 0.7, memory: 'dreaming' },
      ],
      sessions: 10,
      replicates: 3,
      tasksPerSession: 20,
      transcriptMessages: 6,
    });
    const data = await loadRunData(root, { suites: false });
    expect(data.trials.length).toBeGreaterThan(ALL_TRANSCRIPTS_UP_TO);
    const payload = buildHtmlPayload(data, analyse(data, { B: 200 }), []);
    const ids = Object.keys(payload.transcripts);
    expect(ids.length).toBeLessThan(data.trials.length);
    expect(payload.transcript_policy.embedded).toBe(ids.length);
    expect(payload.transcript_policy.rule).toMatch(/evidence by dreams.*failures.*successes/);
    // Every trial a dream cites as evidence is there, and every failure (fewer than the cap here).
    const evidence = new Set(data.dreams.flatMap((d) => d.changeset.changes.flatMap((c) => c.evidence)));
    for (const id of evidence) expect(payload.transcripts[id], id).toBeDefined();
    const failures = data.trials.filter((t) => !t.success).length;
    expect(ids.length).toBeGreaterThanOrEqual(Math.min(failures, 300));
    // Long repeated texts are stored once.
    expect(payload.pool.length).toBeLessThan(ids.length * 3);
  });

  it('keeps </script> and line separators in the data from breaking the page', () => {
    const s = scriptSafeJson({ a: '</script><script>alert(1)</script>', b: '\u2028', c: NaN, d: Infinity });
    expect(s).not.toContain('</script');
    expect(JSON.parse(s)).toEqual({ a: '</script><script>alert(1)</script>', b: '\u2028', c: null, d: 'Infinity' });
  });
});
