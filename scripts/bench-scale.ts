// Scale benchmark: how a run and its report grow with the number of trials. For each size it runs
// the sim experiment of the scale docs (4 arms: stateless, learnings-md, dreaming, skills; 10
// sessions of 25 tasks; replicates = trials / 1,000) in a child process, then `report` in another,
// and prints one JSON line per size: run wall, run peak RSS, run-directory size (all and
// transcripts, and what the transcripts would take uncompressed), report.html size, report wall and
// report peak RSS; then `claims` (the shipped claims) and `compare` (the run against itself), each
// in its own child process, with their wall and peak RSS. Each phase also runs alone on a kept run:
//
//   npm run build && npm run bench:scale -- --trials 5000,20000 [--transcripts all|failed|none] [--keep]
//   node dist-dev/scripts/bench-scale.js --phase report|claims --dir RUN
//   node dist-dev/scripts/bench-scale.js --phase compare --dir RUN [--baseline RUN2]
//
// The sim answers instantly, so the figures measure the harness alone, never a model.

import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TEXT_STORE_FOLDER } from '../harness/storage/text-store.js';
import { readTranscript } from '../harness/storage/transcripts.js';

// Each phase imports only what its command imports, so its peak RSS is the command's, not the script's.
const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '5000,20000' },
    transcripts: { type: 'string', default: 'all' },
    keep: { type: 'boolean', default: false },
    // Internal: the child processes.
    phase: { type: 'string' },
    dir: { type: 'string' },
    baseline: { type: 'string' },
  },
});

const peakMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (since: number): number => Math.round((performance.now() - since) / 100) / 10;

/** Bytes the transcripts of a run would take as the pretty-printed JSON files runs wrote before compression (their shared texts filled in). */
function uncompressedSize(runDir: string, folder = 'transcripts'): number {
  let total = 0;
  for (const entry of readdirSync(join(runDir, folder), { withFileTypes: true })) {
    if (entry.name === TEXT_STORE_FOLDER) continue;
    const ref = `${folder}/${entry.name}`;
    if (entry.isDirectory()) total += uncompressedSize(runDir, ref);
    else total += Buffer.byteLength(JSON.stringify(readTranscript(runDir, ref), null, 2) + '\n');
  }
  return total;
}

function duSize(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    total += entry.isDirectory() ? duSize(full) : statSync(full).size;
  }
  return total;
}

if (values.phase === 'run') {
  const { experimentSchema } = await import('../harness/config/schema.js');
  const { executeRun } = await import('../harness/runner/runner.js');
  const trials = Number(values.trials);
  const replicates = Math.max(1, Math.round(trials / 1000));
  const experiment = experimentSchema.parse({
    name: 'bench-scale',
    seed: 1,
    model: 'sim:default',
    suites: ['legal-drafting'],
    arms: ['stateless', 'learnings-md', 'dreaming', 'skills'],
    sessions: 10,
    tasks_per_session: 25,
    replicates,
    concurrency: 8,
    transcripts: values.transcripts,
  });
  const t = performance.now();
  const outcome = await executeRun({ runDir: values.dir!, experiment });
  process.stdout.write(
    // The count from the manifest: reading outcome.trials would load every record and lift the peak measured.
    JSON.stringify({
      trials: outcome.manifest.totals?.trials ?? 0,
      wall_s: Math.round((performance.now() - t) / 100) / 10,
      peak_rss_mib: peakMiB(),
    }) + '\n',
  );
} else if (values.phase === 'report') {
  const { preferSmallHeap } = await import('../harness/core/small-heap.js');
  const { writeRunReport } = await import('../reports/run-report.js');
  preferSmallHeap(); // as `dreambench report` does
  const t = performance.now();
  await writeRunReport(values.dir!, { charts: true });
  process.stdout.write(JSON.stringify({ wall_s: seconds(t), peak_rss_mib: peakMiB() }) + '\n');
} else if (values.phase === 'claims') {
  // What `dreambench claims RUN` does (harness/cli/commands/claims.ts), the text printed to nowhere.
  const { preferSmallHeap } = await import('../harness/core/small-heap.js');
  const { claimContext, evaluateClaims, loadClaims, renderClaimsText } = await import('../reports/claims.js');
  const { defaultClaimsDir } = await import('../reports/run-report.js');
  const { loadClaimSources } = await import('../reports/claim-data.js');
  preferSmallHeap();
  const t = performance.now();
  const claims = loadClaims(defaultClaimsDir());
  const results = evaluateClaims(claims, claimContext(await loadClaimSources(values.dir!)));
  const text = renderClaimsText(results);
  process.stdout.write(
    JSON.stringify({ wall_s: seconds(t), peak_rss_mib: peakMiB(), claims: results.length, text_chars: text.length }) + '\n',
  );
} else if (values.phase === 'compare') {
  // What `dreambench compare BASELINE RUN` does on two run directories (harness/cli/commands/compare.ts).
  const { preferSmallHeap } = await import('../harness/core/small-heap.js');
  const { compareRuns } = await import('../harness/compare/compare.js');
  const { renderJson, renderMarkdown } = await import('../harness/compare/render.js');
  const { loadRunDir } = await import('../harness/compare/run-summary.js');
  preferSmallHeap();
  const t = performance.now();
  const candidate = loadRunDir(values.dir!);
  const baseline = loadRunDir(values.baseline ?? values.dir!);
  const result = compareRuns(baseline, candidate, { pairing: 'auto', confidence: 0.95 });
  const text = renderMarkdown(result) + renderJson(result);
  process.stdout.write(
    JSON.stringify({ wall_s: seconds(t), peak_rss_mib: peakMiB(), exit_code: result.exit_code, text_chars: text.length }) + '\n',
  );
} else {
  const self = fileURLToPath(import.meta.url);
  const child = (args: string[]): Record<string, number> =>
    JSON.parse(
      execFileSync(process.execPath, [self, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 })
        .trim()
        .split('\n')
        .at(-1)!,
    ) as Record<string, number>;
  for (const size of values.trials.split(',').map(Number)) {
    const dir = join(tmpdir(), `dreambench-bench-scale-${size}-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    const run = child(['--phase', 'run', '--dir', dir, '--trials', String(size), '--transcripts', values.transcripts]);
    const runBytes = duSize(dir);
    const transcriptBytes = duSize(join(dir, 'transcripts'));
    const uncompressedBytes = uncompressedSize(dir);
    const report = child(['--phase', 'report', '--dir', dir]);
    const html = statSync(join(dir, 'report', 'report.html')).size;
    const claims = child(['--phase', 'claims', '--dir', dir]);
    const compare = child(['--phase', 'compare', '--dir', dir, '--baseline', dir]);
    const mb = (n: number): number => Math.round(n / 1e5) / 10;
    process.stdout.write(
      JSON.stringify({
        trials: run.trials,
        transcripts: values.transcripts,
        run_wall_s: run.wall_s,
        run_peak_rss_mib: run.peak_rss_mib,
        run_dir_mb: mb(runBytes),
        transcripts_mb: mb(transcriptBytes),
        transcript_kb_per_trial: Math.round(transcriptBytes / run.trials! / 100) / 10,
        uncompressed_kb_per_trial: Math.round(uncompressedBytes / run.trials! / 100) / 10,
        report_html_mb: mb(html),
        report_wall_s: report.wall_s,
        report_peak_rss_mib: report.peak_rss_mib,
        claims_wall_s: claims.wall_s,
        claims_peak_rss_mib: claims.peak_rss_mib,
        compare_wall_s: compare.wall_s,
        compare_peak_rss_mib: compare.peak_rss_mib,
      }) + '\n',
    );
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`bench-scale: kept ${dir}\n`);
  }
}
