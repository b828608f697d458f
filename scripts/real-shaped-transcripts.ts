// Transcripts shaped like a real model's coding and drafting sessions, for measuring how transcript
// storage behaves on them (scripts/bench-transcripts.ts). The sim's transcripts are short and
// regular; a real agent's carry long tool outputs, thinking blocks, code and the same system prompt
// and memory in every trial. No real transcripts can ship with dreambench (there are none without
// an API key, and shared ones would leak their authors' work), so the content here is real text
// found on this machine, arranged in the shape of a real conversation:
//  - file reads return whole source files of this repository and of installed packages (real code),
//    from a working set of 3 to 8 files per trial that the agent reads, searches and rewrites;
//  - command outputs are real listings and `git log`-shaped lines built from real file names;
//  - thinking blocks and replies are paragraphs of the installed packages' Markdown docs (real
//    English prose), with a random base64 signature as the API returns (incompressible by design);
//  - the system prompt (instructions and tool definitions) is the same in every trial, and a memory
//    block grows with the session, as dreambench's memory arms give it;
//  - tool-use ids are random, as the API's are.
// Lengths (turns per trial, thinking and output sizes) are drawn from ranges chosen to look like the
// agentic coding transcripts we have read, not measured from a corpus: the ratios they give are an
// estimate for that shape, not a property of any particular model.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import type { Transcript, TranscriptTurn } from '../harness/agent/transcript.js';
import type { ContentBlock, Message, ToolSpec } from '../harness/core/messages.js';
import { type Rng, rngFrom } from '../harness/core/rng.js';
import { sourcePath } from '../harness/core/paths.js';

/** Real text found on this machine: source files (code) and paragraphs of Markdown docs (prose). */
export interface TextCorpus {
  code: Array<{ path: string; text: string }>;
  prose: string[];
}

function walk(dir: string, keep: (path: string) => boolean, out: string[], limit: number): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    if (out.length >= limit) return;
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      if (name !== '.git' && name !== 'dist' && name !== 'dist-dev') walk(path, keep, out, limit);
    } else if (stat.size > 200 && stat.size < 60_000 && keep(path)) out.push(path);
  }
}

/** Code from the repository's own sources and installed packages; prose from the packages' Markdown files. */
export function loadCorpus(root = sourcePath('.')): TextCorpus {
  const codePaths: string[] = [];
  for (const dir of ['harness', 'reports', 'tasks', 'baselines']) walk(join(root, dir), (p) => extname(p) === '.ts', codePaths, 800);
  walk(join(root, 'node_modules'), (p) => ['.js', '.ts', '.py', '.json'].includes(extname(p)), codePaths, 1600);
  const docPaths: string[] = [];
  walk(join(root, 'node_modules'), (p) => extname(p).toLowerCase() === '.md', docPaths, 400);
  const prose = docPaths
    .flatMap((p) => readFileSync(p, 'utf8').split(/\n\s*\n/))
    .map((p) => p.trim())
    .filter((p) => p.length > 120 && !p.startsWith('```') && !p.startsWith('|'));
  return { code: codePaths.map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') })), prose };
}

const TOOLS: ToolSpec[] = [
  ['read_file', 'Read a file of the workspace and return its contents with line numbers.', { path: { type: 'string' } }],
  ['write_file', 'Create or overwrite a file of the workspace.', { path: { type: 'string' }, content: { type: 'string' } }],
  ['run_command', 'Run a shell command in the workspace and return its standard output and error.', { command: { type: 'string' } }],
  ['search', 'Search the workspace for a regular expression and return the matching lines.', { pattern: { type: 'string' } }],
  ['render_docx', 'Render a Markdown draft to draft.docx with the house template.', { source: { type: 'string' } }],
].map(([name, description, properties]) => ({
  name: name as string,
  description: `${description as string} Paths are relative to the workspace root; the workspace is discarded after the task.`,
  input_schema: { type: 'object' as const, properties: properties as Record<string, unknown>, required: Object.keys(properties as object) },
}));

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const randomText = (rng: Rng, n: number, alphabet = B64): string =>
  Array.from({ length: n }, () => alphabet[rng.int(alphabet.length)]).join('');
const between = (rng: Rng, lo: number, hi: number): number => lo + rng.int(hi - lo + 1);

function paragraphs(rng: Rng, corpus: TextCorpus, chars: number): string {
  const out: string[] = [];
  let n = 0;
  while (n < chars) {
    const p = rng.pick(corpus.prose);
    out.push(p);
    n += p.length;
  }
  return out.join('\n\n');
}

const numbered = (text: string): string =>
  text
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(5)}\t${line}`)
    .join('\n');

function commandOutput(rng: Rng, corpus: TextCorpus): { command: string; output: string } {
  const files = Array.from({ length: between(rng, 20, 80) }, () => rng.pick(corpus.code));
  switch (rng.int(3)) {
    case 0:
      return {
        command: 'ls -la src',
        output: files
          .map(
            (f) =>
              `-rw-r--r-- 1 agent agent ${String(f.text.length).padStart(7)} Dec  ${between(rng, 1, 9)} 1${between(rng, 0, 9)}:${between(rng, 10, 59)} ${f.path}`,
          )
          .join('\n'),
      };
    case 1:
      return {
        command: 'git log --oneline -n 40',
        output: files
          .map((f) => `${randomText(rng, 7, '0123456789abcdef')} ${rng.pick(corpus.prose).split(/[.\n]/)[0]!.slice(0, 70)} (${f.path})`)
          .join('\n'),
      };
    default:
      return {
        command: 'npm test -- --reporter dot',
        output: files
          .map((f, i) =>
            rng.chance(0.1)
              ? `FAIL ${f.path}\n  ${rng.pick(corpus.prose).slice(0, 200)}`
              : `ok ${i + 1} ${f.path} (${between(rng, 2, 900)} ms)`,
          )
          .join('\n'),
      };
  }
}

/**
 * One trial's transcript: `session` sets how much memory the system prompt carries. With `task`,
 * the task's prompt and files come from the task (as the arms and replicates of a run attempt the
 * same task); without it every trial draws its own from the whole corpus, so files rarely recur.
 */
export function realShapedTranscript(corpus: TextCorpus, key: string, session: number, task?: string): Transcript {
  const rng = rngFrom(key);
  const taskRng = task === undefined ? rng : rngFrom(`task:${task}`);
  const memoryRng = rngFrom('memory'); // the same lessons in every trial, more of them in later sessions
  const memory = Array.from({ length: 6 * session }, () => `- ${memoryRng.pick(corpus.prose).slice(0, 300)}`).join('\n');
  const messages: Message[] = [{ role: 'user', content: `Task: ${paragraphs(taskRng, corpus, 800)}` }];
  const turns: TranscriptTurn[] = [];
  const turnCount = between(rng, 8, 40);
  // A trial works on a few files: it reads them, searches them, rewrites them and reads them again.
  const workingSet = Array.from({ length: between(taskRng, 3, 8) }, () => taskRng.pick(corpus.code));
  for (let turn = 0; turn < turnCount; turn++) {
    const id = `toolu_01${randomText(rng, 22, B64.slice(0, 62))}`;
    const thinking: ContentBlock = {
      type: 'thinking',
      thinking: paragraphs(rng, corpus, between(rng, 200, 3000)),
      signature: randomText(rng, between(rng, 300, 1200)),
    };
    const file = rng.pick(workingSet);
    let call: ContentBlock;
    let result: string;
    const kind = rng.int(10);
    if (kind < 4) {
      call = { type: 'tool_use', id, name: 'read_file', input: { path: file.path } };
      result = numbered(file.text);
    } else if (kind < 6) {
      call = { type: 'tool_use', id, name: 'write_file', input: { path: file.path, content: file.text } };
      result = `wrote ${file.text.length} bytes to ${file.path}`;
    } else if (kind < 9) {
      const { command, output } = commandOutput(rng, corpus);
      call = { type: 'tool_use', id, name: 'run_command', input: { command } };
      result = output;
    } else {
      const lines = file.text.split('\n').filter((l) => l.trim());
      call = { type: 'tool_use', id, name: 'search', input: { pattern: lines[0]?.slice(0, 20) ?? 'export' } };
      result = lines
        .slice(0, 40)
        .map((l, i) => `${file.path}:${i + 1}:${l}`)
        .join('\n');
    }
    const reply: ContentBlock[] = [
      thinking,
      ...(rng.chance(0.5) ? [{ type: 'text' as const, text: paragraphs(rng, corpus, 150) }] : []),
      call,
    ];
    messages.push({ role: 'assistant', content: reply });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: id, content: result }] });
    turns.push({
      request_messages: messages.length - 2,
      stop_reason: 'tool_use',
      usage: {
        input_tokens: between(rng, 5_000, 90_000),
        output_tokens: between(rng, 100, 4_000),
        cache_read_tokens: between(rng, 0, 80_000),
        cache_write_tokens: 0,
      },
      cost_usd: Math.round(rng.next() * 1e6) / 1e6,
      wall_ms: between(rng, 800, 40_000),
    });
  }
  messages.push({ role: 'assistant', content: [{ type: 'text', text: paragraphs(rng, corpus, 600) }] });
  return {
    format: 'dreambench.transcript/v1',
    trial_id: key,
    suite: 'real-shaped',
    family: 'coding',
    task: key,
    model: 'real-shaped',
    system: [
      { type: 'text', text: paragraphs(rngFrom('system prompt'), corpus, 6_000) },
      { type: 'text', text: `Memory from earlier sessions:\n${memory}`, cache: true },
    ],
    tools: TOOLS,
    messages,
    turns,
    outcome: { success: rng.chance(0.5), score: rng.next(), error_class: 'none', feedback: [], pitfalls_hit: [] },
  };
}
