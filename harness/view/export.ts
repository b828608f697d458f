// `dreambench view --export DIR`: a static copy of the viewer for sharing without a server. Every
// API answer a page may ask for is computed by the same code the server uses (harness/view/api.ts)
// and written as a small script (data/NNNNN.js) that hands its value to the page, because a page
// opened from file:// may load scripts but not fetch files. The trials table filters in the page
// with the server's own query function; the files trials produced are copied, with PDF previews when
// LibreOffice is installed. Review actions need the server and are absent from the copy. Agent logs
// (`--logs`) are exported the same way: every conversation, the memory linked to them, and the
// conversations table filtered and searched in the page by the server's own query function.

import { redactedJsonText } from '../security/redact.js';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createApi, type Params } from './api.js';
import { assetNames, checkAssets, indexHtml, logQueryScript, STYLE_FILE, trialQueryScript } from './assets.js';
import type { LogApi } from './log-api.js';
import { memoryIndex, readChangesets, readTrials, trialArtifacts } from './run-reader.js';
import { discoverRuns } from './run-index.js';
import { pdfPreviews, PREVIEWABLE } from './preview.js';
import { VIEW_CSS } from './style.js';
import { trialId } from '../core/records.js';

export class ExportRefused extends Error {
  override name = 'ExportRefused';
}

/** The API path as the page writes it: query keys sorted (harness/view/client/data.ts apiPath). */
export function apiPath(path: string, params: Params = {}): string {
  const entries = Object.entries(params)
    .filter((e) => e[1] !== '')
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const query = new URLSearchParams(entries).toString();
  return query ? `${path}?${query}` : path;
}

export interface ExportSummary {
  out: string;
  runs: number;
  /** Conversations of the agent logs exported (0 without logs). */
  conversations: number;
  dataFiles: number;
  copiedFiles: number;
  previews: number;
}

/** Diffs between every pair of sessions up to this many snapshots; beyond, consecutive pairs and first-to-last. */
const ALL_PAIRS_UP_TO = 16;

function sessionPairs(sessions: number[]): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  if (sessions.length <= ALL_PAIRS_UP_TO) {
    for (let i = 0; i < sessions.length; i++)
      for (let j = 0; j < sessions.length; j++) if (i !== j) pairs.push([sessions[i]!, sessions[j]!]);
    return pairs;
  }
  for (let i = 1; i < sessions.length; i++) pairs.push([sessions[i - 1]!, sessions[i]!]);
  pairs.push([sessions[0]!, sessions[sessions.length - 1]!]);
  return pairs;
}

export interface ExportOptions {
  /** Run directories, or folders holding runs. */
  paths: string[];
  out: string;
  assetsDir: string;
  /** Agent logs to export beside the runs (or alone), already read and checked. */
  logs?: LogApi;
}

export async function exportStatic(options: ExportOptions): Promise<ExportSummary> {
  checkAssets(options.assetsDir);
  const runs = discoverRuns(options.paths);
  if (runs.length === 0 && !options.logs)
    throw new ExportRefused(`no run directory (a folder with manifest.json) under ${options.paths.join(', ')}`);
  if (existsSync(options.out) && readdirSync(options.out).length > 0 && !existsSync(join(options.out, 'data', 'index.js'))) {
    throw new ExportRefused(`${options.out}: not empty and not an earlier export; choose an empty or new folder`);
  }
  const api = createApi(() => runs, options.logs);
  const files: Record<string, string> = {};
  const copies: Record<string, string> = {};
  let counter = 0;
  let previews = 0;
  mkdirSync(join(options.out, 'data'), { recursive: true });

  const add = async (path: string, params: Params = {}): Promise<void> => {
    const key = apiPath(path, params);
    if (files[key]) return;
    const result = await api.get(path, params);
    if (result.kind !== 'json') return;
    const name = `data/${String(counter++).padStart(5, '0')}.js`;
    // Redacted here too: a run's files are redacted when written, but agent logs (--logs) are read as
    // their tools wrote them, and an export is made to be shared.
    writeFileSync(join(options.out, name), `window.dreambenchData(${JSON.stringify(key)}, ${redactedJsonText(result.body)});\n`);
    files[key] = name;
  };
  const copy = (runId: string, root: string, rel: string): string => {
    const target = `files/${runId}/${rel}`;
    mkdirSync(dirname(join(options.out, target)), { recursive: true });
    copyFileSync(join(root, rel), join(options.out, target));
    return target;
  };

  const previewable: Array<{ runId: string; base: string; path: string; source: string }> = [];
  await add('/api/runs');
  for (const run of runs) {
    const base = `/api/run/${run.id}`;
    await add(base);
    await add(`${base}/trials-all`);
    for (const record of readTrials(run.root)) {
      await add(`${base}/trial`, { id: trialId(record) });
      for (const file of trialArtifacts(run.root, record)) {
        copies[apiPath(`${base}/file`, { path: file.path })] = copy(run.id, run.root, file.path);
        if (PREVIEWABLE.test(file.name)) previewable.push({ runId: run.id, base, path: file.path, source: join(run.root, file.path) });
      }
    }
    for (const m of memoryIndex(run.root)) {
      for (const r of m.replicates) {
        const rep = String(r.rep);
        await add(`${base}/memory`, { arm: m.arm, rep });
        const pending = readChangesets(run.root, m.arm, r.rep)
          .filter((c) => (c.status === 'pending' || c.status === 'reviewed') && c.proposed && !r.sessions.includes(c.session))
          .map((c) => c.session);
        for (const [from, to] of sessionPairs([...r.sessions, ...pending])) {
          if (pending.includes(from)) continue;
          await add(`${base}/memory-diff`, { arm: m.arm, from: String(from), rep, to: String(to) });
        }
      }
    }
  }

  // The conversations table filters in the page over every row (log-query.js); each conversation and the memory page are files.
  const conversations = options.logs?.ids() ?? [];
  if (options.logs) {
    await add('/api/logs-all');
    for (const id of conversations) await add('/api/log', { id });
    if (options.logs.summary().memory) await add('/api/logs-memory');
  }

  // Every preview in one LibreOffice call; a file without one is still there to download.
  const pdfs = await pdfPreviews(previewable.map((p) => p.source));
  for (const file of previewable) {
    const pdf = pdfs.get(file.source);
    if (!pdf) continue;
    const target = `previews/${file.runId}/${file.path}.pdf`;
    mkdirSync(dirname(join(options.out, target)), { recursive: true });
    copyFileSync(pdf, join(options.out, target));
    copies[apiPath(`${file.base}/preview`, { path: file.path })] = target;
    previews++;
  }

  mkdirSync(join(options.out, 'assets'), { recursive: true });
  for (const name of assetNames(options.assetsDir))
    writeFileSync(join(options.out, 'assets', name), readFileSync(join(options.assetsDir, name)));
  writeFileSync(join(options.out, 'assets', STYLE_FILE), VIEW_CSS);
  writeFileSync(join(options.out, 'assets', 'trial-query.js'), trialQueryScript());
  writeFileSync(join(options.out, 'assets', 'log-query.js'), logQueryScript());
  writeFileSync(join(options.out, 'data', 'index.js'), `window.DREAMBENCH_STATIC = ${JSON.stringify({ files, copies })};\n`);
  writeFileSync(join(options.out, 'index.html'), indexHtml('static', 'assets/'));
  return {
    out: options.out,
    runs: runs.length,
    conversations: conversations.length,
    dataFiles: counter,
    copiedFiles: Object.keys(copies).length - previews,
    previews,
  };
}
