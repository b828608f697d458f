// How the built-in sim triages CI logs: a competent but naive triager. It lists the batch (or its
// share, when a lead split it), reads each log, finds the failing step and the error lines by their
// signatures (a triager's knowledge of compilers, test runners, package managers and runners), and
// submits one row per log. Every convention a pitfall hinges on goes through view.choose: which
// error is the root cause, what exit 137 means, how retried tests and ERESOLVE are filed, which
// failed step counts, which end of a long log to read, how times and steps are written, who owns
// infrastructure failures, and the category scheme. It never sees the pitfall table or the task's
// expectations, and keeps no state between calls: where it is comes from the conversation.

import type { ContentBlock } from '../../harness/core/messages.js';
import type { SimPolicy, SimView } from '../../harness/models/sim/policy.js';
import { submitRound } from '../_triage/sim.js';
import {
  clockOffsetMinutes,
  INFRA_CATEGORIES,
  SCHEMES,
  STEP_END,
  STEP_START,
  TIMESTAMP,
  toUtcIso,
  type Category,
  type SchemeName,
} from './params.js';

/** Rejected submissions after which the triager gives up. */
export const MAX_FAILED_SUBMITS = 3;

type Signal = Category | 'killed' | 'flaky-marker' | 'eresolve';

export interface Candidate {
  line: number;
  text: string;
  signal: Signal;
  /** Lower is further upstream: resources and infrastructure first, test assertions last. */
  rank: number;
  /** A recovered error ("(continuing ...)"). */
  recovered: boolean;
}

// A triager's reading of error lines, most specific first.
const SIGNATURES: Array<[Signal, number, RegExp]> = [
  ['killed', 1, /(?:^|\s)Killed$|exited with code 137|signal 9, SIGKILL/],
  ['oom', 1, /heap out of memory|OutOfMemoryError|MemoryError|Cannot allocate memory/],
  ['disk', 1, /no space left on device|ENOSPC|os error 28|Errno 28/i],
  ['eresolve', 3, /\bERESOLVE\b/],
  [
    'network',
    2,
    /ECONNRESET|ECONNREFUSED|EAI_AGAIN|ENOTFOUND|getaddrinfo|Could not resolve host|Connect(?:ion)? timed out|connection refused|connection reset|Connection to \S+ refused|i\/o timeout|Max retries exceeded|name resolution|UnknownHostException|status code 50[234]|50[234] (?:Bad Gateway|Service Unavailable)|spurious network error|ConnectTimeoutError/i,
  ],
  ['timeout', 3, /maximum execution time|context deadline exceeded|progress deadline|The operation was canceled/],
  [
    'dependency',
    3,
    /ResolutionImpossible|conflicting dependencies|Could not resolve dependenc|Could not find artifact|Could not find [\w.-]+:[\w.-]+:|failed to select a version|unknown revision|No matching version found|No matching distribution found|not resolved: Unable to find/,
  ],
  ['flaky-marker', 6, /passed only after a retry|\bRERUN\b|Flakes: |passed on retry|TRY \d+ PASS|\d+ flaky\b/],
  [
    'lint',
    5,
    /warnings-as-errors|treated as error|clippy::|\[Checkstyle\]|Checkstyle violation|: [EF]\d{3} |\bSA\d{4}\b|\((?:govet|staticcheck)\)|^\s*\d+:\d+\s+error\s|\d+ problems? \(\d+ errors?|vulnerabilities at or above/,
  ],
  [
    'compile',
    4,
    /error TS\d+|error\[E\d+\]|: error: |cannot find symbol|COMPILATION ERROR|undefined: |undefined reference to|collect2: error|Compilation failure|Execution failed for task ':compile/,
  ],
  [
    'test',
    7,
    /^FAIL\b|\bFAILED\b|--- FAIL:|<<< (?:FAILURE|ERROR)!|AssertionError|AssertionFailedError|panicked at|Tests run:.*(?:Failures|Errors): [1-9]|● |\[ {2}FAILED {2}\]|: Failure$|There were failing tests/,
  ],
];

export function classifyLine(text: string): Omit<Candidate, 'line' | 'text'> | undefined {
  for (const [signal, rank, re] of SIGNATURES) {
    if (re.test(text)) return { signal, rank, recovered: /\((?:continuing|ignored|non-fatal)\b/i.test(text) };
  }
  return undefined;
}

/** What the sim read of one log: line number -> text (without the timestamp-free header/summary distinction). */
export type Seen = Map<number, string>;

/** Parse read_log and grep_log results into what the agent has seen, per log id. */
export function seenLines(history: SimView['history']): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  const add = (id: string, n: number, text: string) => {
    let map = seen.get(id);
    if (!map) seen.set(id, (map = new Map()));
    map.set(n, text);
  };
  for (const { use, result } of history) {
    if (!result || result.is_error) continue;
    if (use.name === 'read_log') {
      const id = String(use.input.id ?? '');
      for (const line of result.content.split('\n').slice(1)) {
        const m = /^\s*(\d+) \| (.*)$/.exec(line);
        if (m) add(id, Number(m[1]), m[2]!);
      }
    } else if (use.name === 'grep_log') {
      for (const line of result.content.split('\n')) {
        const m = /^(ci-\d+):\s*(\d+) \| (.*)$/.exec(line);
        if (m) add(m[1]!, Number(m[2]), m[3]!);
      }
    }
  }
  return seen;
}

export interface Knobs {
  rootCause: string;
  exit137: string;
  retryPassed: string;
  eresolve: string;
  failingStep: string;
  timestamps: string;
  stepName: string;
  infraOwner: string;
}

export interface TriageRowDraft {
  log_id: string;
  category: Category;
  failing_step: string;
  evidence_line: number;
  failed_at: string;
  root_cause: string;
  owner: string;
  next_action: string;
}

const NEXT_ACTION: Record<Category, string> = {
  compile: 'Fix the compile error at the cited line and re-run the build.',
  lint: 'Fix the lint violations (or suppress them with a justification) and re-run.',
  test: 'Fix the regression or the test, reproducing it locally with the failing test.',
  flaky: 'Quarantine the test, open a flaky-test ticket, and re-run the job.',
  oom: 'Reduce memory use (parallelism, heap settings) or request a larger runner; check for a leak.',
  dependency: 'Fix the dependency constraints (lock file or manifest) so they resolve, then re-run.',
  network: 'Re-run the job and check the mirror, registry or DNS the job could not reach.',
  disk: 'Free disk space on the runner (prune caches and images) and re-run the job.',
  timeout: 'Find what hung (the last output before the timeout), fix it or raise the limit.',
};

function stepKindCategory(step: string): Category {
  if (/lint|clippy|vet|checkstyle|tidy|scan/.test(step)) return 'lint';
  if (/install|resolve|fetch|deps/.test(step)) return 'dependency';
  if (/build|compile|typecheck|package/.test(step)) return 'compile';
  if (/checkout|push|login/.test(step)) return 'network';
  if (/deploy/.test(step)) return 'timeout';
  return 'test';
}

/** The triager's row for one log from what it has seen of it. */
export function triageLog(id: string, seen: Seen, owners: Map<string, string>, knobs: Knobs): TriageRowDraft {
  const numbers = [...seen.keys()].sort((a, b) => a - b);
  const all = numbers.map((n) => [n, seen.get(n)!] as const);
  let date = '';
  let offset = 0;
  let component = '';
  let job = '';
  const starts = new Map<string, { line: number; name: string }>();
  const ends = new Map<string, { line: number; status: string }>();
  /** Step id -> its position in the pipeline ([k/n] on its markers, or its place in the summary). */
  const position = new Map<string, number>();
  for (const [n, text] of all) {
    date ||= /^Date: (\d{4}-\d\d-\d\d)$/.exec(text)?.[1] ?? /· date (\d{4}-\d\d-\d\d)$/.exec(text)?.[1] ?? '';
    const off = text.includes('clock:') ? clockOffsetMinutes(text) : undefined;
    if (off !== undefined) offset = off;
    component ||= /^Component: (\S+)$/.exec(text)?.[1] ?? /Component: (\S+)$/.exec(text)?.[1] ?? '';
    job ||= /^Pipeline: .* · job (\S+)$/.exec(text)?.[1] ?? /^Job: (\S+) ·/.exec(text)?.[1] ?? '';
    const start = STEP_START.exec(text);
    if (start) {
      starts.set(start[5]!, { line: n, name: start[4]! });
      position.set(start[5]!, Number(start[2]));
    }
    const end = STEP_END.exec(text);
    if (end) {
      ends.set(end[4]!, { line: n, status: `${end[5]}${end[6]!.includes('continue-on-error') ? ' (continue-on-error)' : ''}` });
      position.set(end[4]!, Number(end[2]));
    }
    const summary = /^Steps: (.+)$/.exec(text);
    if (summary) {
      summary[1]!.split(' | ').forEach((part, i) => {
        const m = /^(\S+) (.+)$/.exec(part.trim());
        if (!m) return;
        if (!ends.has(m[1]!)) ends.set(m[1]!, { line: Infinity, status: m[2]! });
        if (!position.has(m[1]!)) position.set(m[1]!, i + 1);
      });
    }
  }
  const order = [...position.keys()].sort((a, b) => position.get(a)! - position.get(b)!);

  // The failing step.
  const failedSteps = order.filter((s) => /^(failed|cancelled)/.test(ends.get(s)?.status ?? ''));
  const fatal = failedSteps.filter((s) => !ends.get(s)!.status.includes('continue-on-error'));
  let step = knobs.failingStep === 'job-fatal' ? fatal[0] : failedSteps[0];
  if (!step) {
    // Nothing failed in what was read: the last step that started.
    step = [...starts.keys()].pop() ?? 'unknown';
  }

  // The step's lines: after its start (or the previous step's end) and before its end.
  const startLine =
    starts.get(step)?.line ?? Math.max(0, ...[...ends.values()].map((e) => e.line).filter((l) => l < (ends.get(step!)?.line ?? Infinity)));
  const endLine = ends.get(step)?.line ?? Infinity;
  const region = all.filter(
    ([n, text]) => n > startLine && n < endLine && TIMESTAMP.test(text) && !STEP_START.test(text) && !STEP_END.test(text),
  );
  const candidates: Candidate[] = [];
  for (const [n, text] of region) {
    const body = text.replace(TIMESTAMP, '');
    const c = classifyLine(body);
    if (c) candidates.push({ line: n, text: body, ...c });
  }

  let category: Category;
  let evidence: Candidate | undefined;
  const killed = candidates.find((c) => c.signal === 'killed');
  const flaky = candidates.find((c) => c.signal === 'flaky-marker');
  if (knobs.exit137 === 'oom-kill' && killed) {
    category = 'oom';
    evidence = killed;
  } else if (knobs.retryPassed === 'flaky' && flaky) {
    category = 'flaky';
    evidence = flaky;
  } else {
    if (knobs.rootCause === 'upstream-cause') {
      const live = candidates.filter((c) => !c.recovered);
      const best = Math.min(...live.map((c) => c.rank));
      evidence = live.find((c) => c.rank === best);
    } else {
      evidence = candidates[0];
    }
    const signal = evidence?.signal;
    if (signal === undefined) category = stepKindCategory(step);
    else if (signal === 'killed') category = stepKindCategory(step) === 'compile' ? 'compile' : 'test';
    else if (signal === 'flaky-marker') category = 'test';
    else if (signal === 'eresolve') category = knobs.eresolve === 'dependency-conflict' ? 'dependency' : 'network';
    else category = signal;
  }
  const evidenceLine = evidence?.line ?? region.at(-1)?.[0] ?? numbers.at(-1) ?? 1;
  const evidenceText = (evidence?.text ?? seen.get(evidenceLine) ?? '').replace(TIMESTAMP, '').trim();
  const time = TIMESTAMP.exec(seen.get(evidenceLine) ?? '')?.[0].trim() ?? '00:00:00';
  const failedAt = knobs.timestamps === 'utc' && date ? toUtcIso(date, time, offset) : `${date} ${time}`;
  const stepName =
    knobs.stepName === 'display-name'
      ? (starts.get(step)?.name ?? step)
      : knobs.stepName === 'job/step-id' && job
        ? `${job}/${step}`
        : step;
  const codeOwner = owners.get(component) ?? '@unknown';
  const owner = INFRA_CATEGORIES.has(category) && knobs.infraOwner !== 'code-owner' ? knobs.infraOwner : codeOwner;
  return {
    log_id: id,
    category,
    failing_step: stepName,
    evidence_line: evidenceLine,
    failed_at: failedAt,
    root_cause: evidenceText.slice(0, 160) || `${step} failed`,
    owner,
    next_action: NEXT_ACTION[category],
  };
}

/** The owners table of the prompt: component -> team. */
export function parseOwners(prompt: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const m of prompt.matchAll(/^\|\s*([a-z0-9-]+)\s*\|\s*(@[a-z0-9-]+)\s*\|$/gm)) owners.set(m[1]!, m[2]!);
  return owners;
}

/** Log ids from the latest list_logs result. */
export function listedIds(history: SimView['history']): string[] | undefined {
  const listed = history.filter((h) => h.use.name === 'list_logs' && h.result && !h.result.is_error).at(-1);
  if (!listed) return undefined;
  return [...listed.result!.content.matchAll(/^(ci-\d+)\s/gm)].map((m) => m[1]!);
}

/** A helper's share of the batch: a contiguous slice of the ids. */
export function shareOf<T>(items: readonly T[], share: { index: number; of: number } | undefined): T[] {
  if (!share) return [...items];
  const size = Math.ceil(items.length / share.of);
  return items.slice((share.index - 1) * size, share.index * size);
}

function knobs(view: SimView): Knobs {
  return {
    rootCause: view.choose('triage.root_cause', 'first-error').value,
    exit137: view.choose('triage.exit_137', 'step-failure').value,
    retryPassed: view.choose('triage.retry_passed', 'test-failure').value,
    eresolve: view.choose('triage.npm_eresolve', 'network').value,
    failingStep: view.choose('triage.failing_step', 'first-failed').value,
    timestamps: view.choose('triage.timestamps', 'as-printed').value,
    stepName: view.choose('triage.step_name', 'display-name').value,
    infraOwner: view.choose('triage.infra_owner', 'code-owner').value,
  };
}

/** Whether a log was read in a way that satisfies the current reading habit. */
function wasRead(history: SimView['history'], id: string, from: string): boolean {
  return history.some(({ use, result }) => {
    if (use.name !== 'read_log' || use.input.id !== id || !result || result.is_error) return false;
    if (from !== 'tail' || use.input.from === 'tail') return true;
    // A head read that showed the whole log is as good as a tail read.
    const m = /^ci-\d+: lines (\d+)-(\d+) of (\d+)/.exec(result.content);
    return Boolean(m && m[1] === '1' && m[2] === m[3]);
  });
}

function submitBlocks(view: SimView, ids: string[], owners: Map<string, string>): ContentBlock[] {
  const seen = seenLines(view.history);
  const k = knobs(view);
  const drafts = ids.map((id) => triageLog(id, seen.get(id) ?? new Map(), owners, k));
  if (!view.competent('triage') && drafts.length > 0) {
    // Careless with a big batch: some logs never make it into the report.
    const drop = Math.max(1, Math.ceil(drafts.length * 0.15));
    const rng = view.rng.fork('dropped');
    for (let i = 0; i < drop && drafts.length > 1; i++) drafts.splice(rng.int(drafts.length), 1);
  }
  const scheme = view.choose('submit_triage.category_scheme', 'generic').value as SchemeName;
  const labels = (SCHEMES[scheme] ?? SCHEMES.generic) as Record<Category, string>;
  const rows = drafts.map((d) => ({ ...d, category: labels[d.category] }));
  return [
    { type: 'text', text: `Submitting the triage of ${rows.length} log${rows.length === 1 ? '' : 's'}.` },
    view.toolUse('submit_triage', { rows, category_scheme: scheme }),
  ];
}

export const triagePolicy: SimPolicy = {
  act(view: SimView): ContentBlock[] {
    const round = submitRound(view, 'submit_triage');
    if (round.accepted) return [{ type: 'text', text: 'The triage report is submitted.' }];
    const owners = parseOwners(view.prompt);

    // 1. The batch.
    const ids = listedIds(view.history);
    if (!ids) return [{ type: 'text', text: 'Listing the batch first.' }, view.toolUse('list_logs', {})];
    const mine = shareOf(ids, view.share);

    // 2. Read every log of my share (tail first if that is the habit).
    const from = view.choose('read_log.from', 'head').value;
    const unread = mine.filter((id) => !wasRead(view.history, id, from));
    if (unread.length > 0 && round.submits.length === 0) {
      return [
        { type: 'text', text: `Reading ${unread.length} log${unread.length === 1 ? '' : 's'}.` },
        ...unread.map((id) => view.toolUse('read_log', from === 'tail' ? { id, from: 'tail' } : { id })),
      ];
    }

    // 3. Submit; after a rejection, submit again with what the error said, up to a limit.
    if (round.rejected >= MAX_FAILED_SUBMITS) return [{ type: 'text', text: 'submit_triage keeps rejecting the report; stopping here.' }];
    return submitBlocks(view, mine, owners);
  },
};
