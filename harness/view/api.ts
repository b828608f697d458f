// The viewer's read-only API: one function from a request path and its query to JSON or a file.
// The HTTP server (harness/view/server.ts) answers with it, and the static export
// (harness/view/export.ts) calls it for every path a page may ask for, so both show the same data.
//
//   /api/runs                                   every run: name, model, arms, status, success per arm
//   /api/run/<id>                               one run: summary, experiment, filter values, memory, dreams
//   /api/run/<id>/trials?arm=&session=&...      one page of the trials table (harness/view/trial-query.ts)
//   /api/run/<id>/trial?id=<trial id>           a trial: record, transcript turn by turn, produced files
//   /api/run/<id>/memory?arm=&rep=              an (arm, replicate)'s snapshots, entries, provenance, dreams
//   /api/run/<id>/memory-diff?arm=&rep=&from=&to=   entry-level and unified diff between two sessions
//   /api/run/<id>/events?since=<byte offset>    journal lines written since (live progress)
//   /api/run/<id>/file?path=<relative path>     a file of the run (download)
//   /api/run/<id>/preview?path=<relative path>  a PDF preview of a .docx/.pptx (LibreOffice, cached)
//   /api/logs, /api/log, /api/logs-memory, /api/logs-all   agent logs served with --logs (harness/view/log-api.ts)

import { extname } from 'node:path';
import type { LogApi } from './log-api.js';
import type { TrialRecord } from '../core/records.js';
import { trialId } from '../core/records.js';
import { countByStatus } from '../dreaming/changeset.js';
import { entryDiff, memoryTimeline } from './memory-model.js';
import { pdfPreview, PREVIEWABLE, findLibreOffice } from './preview.js';
import { summarizeRun, type ServedRun } from './run-index.js';
import {
  memoryIndex,
  readChangesets,
  readEventsFrom,
  readManifest,
  readTranscript,
  readTrials,
  runFile,
  trialArtifacts,
} from './run-reader.js';
import { queryTrials, toRow, trialFacets, type TrialQuery, type TrialRow } from './trial-query.js';
import { viewTranscript } from './transcript-view.js';

export type ApiResult = { kind: 'json'; body: unknown } | { kind: 'file'; path: string; type: string; download: boolean };

export class NotFound extends Error {
  override name = 'NotFound';
}

export type Params = Record<string, string>;

const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.pdf': 'application/pdf',
};

/** Served inline only for types a browser cannot run as a page; everything else is a download. */
export function contentType(path: string): { type: string; download: boolean } {
  const type = TYPES[extname(path).toLowerCase()];
  return type ? { type, download: false } : { type: 'application/octet-stream', download: true };
}

const rowCache = new WeakMap<readonly TrialRecord[], { rows: TrialRow[]; byId: Map<string, TrialRecord> }>();

function rowsOf(root: string): { rows: TrialRow[]; byId: Map<string, TrialRecord> } {
  const records = readTrials(root);
  let cached = rowCache.get(records);
  if (!cached) {
    cached = { rows: records.map(toRow), byId: new Map(records.map((r) => [trialId(r), r])) };
    rowCache.set(records, cached);
  }
  return cached;
}

const int = (params: Params, name: string): number => {
  const value = Number(params[name]);
  if (params[name] === undefined || !Number.isInteger(value) || value < 0) throw new NotFound(`"${name}" must be a whole number`);
  return value;
};

export interface Api {
  runs(): ServedRun[];
  get(path: string, params: Params): Promise<ApiResult>;
}

export function createApi(runs: () => ServedRun[], logs?: LogApi): Api {
  const runById = (id: string): ServedRun => {
    const run = runs().find((r) => r.id === id);
    if (!run) throw new NotFound(`no run "${id}"`);
    return run;
  };
  const json = (body: unknown): ApiResult => ({ kind: 'json', body });

  const routes: Record<string, (run: ServedRun, params: Params) => ApiResult | Promise<ApiResult>> = {
    '': (run) => {
      const manifest = readManifest(run.root);
      const { rows } = rowsOf(run.root);
      const dreams = memoryIndex(run.root).flatMap((m) =>
        m.replicates.flatMap((r) =>
          readChangesets(run.root, m.arm, r.rep).map((c) => ({
            arm: m.arm,
            rep: r.rep,
            session: c.session,
            dream: c.dream,
            status: c.status,
            review_mode: c.review_mode,
            counts: countByStatus(c.changes),
          })),
        ),
      );
      return json({
        summary: summarizeRun(run),
        manifest,
        facets: trialFacets(rows),
        memory: memoryIndex(run.root),
        dreams,
        previews: Boolean(findLibreOffice()),
      });
    },
    trials: (run, params) => json(queryTrials(rowsOf(run.root).rows, params as TrialQuery)),
    'trials-all': (run) => json({ rows: rowsOf(run.root).rows }),
    trial: (run, params) => {
      const record = rowsOf(run.root).byId.get(params.id ?? '');
      if (!record) throw new NotFound(`no trial "${params.id ?? ''}" in run "${run.id}"`);
      let transcript: unknown;
      let transcriptError: string | undefined;
      try {
        transcript = readTranscript(run.root, record.transcript);
      } catch (error) {
        transcriptError = `the transcript ${record.transcript} cannot be read (${(error as Error).message})`;
      }
      const artifacts = trialArtifacts(run.root, record).map((a) => ({ ...a, preview: PREVIEWABLE.test(a.name) }));
      return json({
        id: trialId(record),
        record,
        transcript: transcript === undefined ? undefined : viewTranscript(transcript),
        ...(transcriptError ? { transcript_error: transcriptError } : {}),
        artifacts,
      });
    },
    memory: (run, params) => json(memoryTimeline(run.root, params.arm ?? '', int(params, 'rep'))),
    'memory-diff': (run, params) => json(entryDiff(run.root, params.arm ?? '', int(params, 'rep'), int(params, 'from'), int(params, 'to'))),
    events: (run, params) => json(readEventsFrom(run.root, Math.max(0, Math.floor(Number(params.since)) || 0))),
    file: (run, params) => ({ kind: 'file', path: runFile(run.root, params.path ?? ''), ...contentType(params.path ?? '') }),
    preview: async (run, params) => ({
      kind: 'file',
      path: await pdfPreview(runFile(run.root, params.path ?? '')),
      type: 'application/pdf',
      download: false,
    }),
  };

  return {
    runs,
    async get(path, params) {
      if (path === '/api/runs') {
        // One unreadable run (e.g. a manifest cut short by a full disk) must not hide the others.
        return json({
          ...(logs ? { logs: logs.summary() } : {}),
          runs: runs().map((run) => {
            try {
              return summarizeRun(run);
            } catch (error) {
              return {
                id: run.id,
                name: run.id,
                model: '?',
                arms: [],
                status: 'unreadable',
                created_at: '',
                updated_at: '',
                trials: 0,
                cost_usd: 0,
                simulated: false,
                invalid: (error as Error).message,
                per_arm: [],
              };
            }
          }),
        });
      }
      if (path === '/api/logs' || path === '/api/log' || path === '/api/logs-memory' || path === '/api/logs-all') {
        if (!logs) throw new NotFound(`no logs served (start the viewer with --logs PATH): ${path}`);
        return json(logs.get(path, params));
      }
      const m = /^\/api\/run\/([A-Za-z0-9._-]+)(?:\/([a-z-]+))?$/.exec(path);
      const name = m?.[2] ?? '';
      const route = m && Object.hasOwn(routes, name) ? routes[name] : undefined;
      if (!m || !route) throw new NotFound(`no such page: ${path}`);
      return route(runById(m[1]!), params);
    },
  };
}
