// Shared texts that no transcript names, swept when a run resumes. A shared text is on disk before
// the transcript that names it (text-store.ts), so a run killed between the two leaves a text no
// transcript names; a real model's different reply on resume never names it again. The sweep runs
// before the resumed run writes anything, while this process is the run directory's only writer (in
// the distributed mode too: workers send transcripts back and only the coordinator writes the run,
// harness/distributed/bullmq.ts). It reads every transcript file under transcripts/ (kept ones, and
// any a trial wrote before its record), and removes only texts none of them names; when any
// transcript cannot be read, what it names is unknown, so nothing is removed.

import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkEnvelope, isEnvelope } from './shared-texts.js';
import { TEXT_STORE_FOLDER } from './text-store.js';
import { transcriptJsonText } from './transcripts.js';

/** What a sweep did: texts removed and kept, or why it removed nothing. */
export interface TextSweep {
  removed: number;
  kept: number;
  /** Set when the sweep removed nothing because a transcript could not be read: the file and the reason. */
  skipped?: string;
}

const TRANSCRIPT_FILE = /\.json(\.br|\.gz)?$/;
const TEXT_FILE = /^([0-9a-f]{64})\.txt(\.br|\.gz)?$/;

/** Every transcript file under a transcripts folder (the store's folder left out). */
function transcriptFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === TEXT_STORE_FOLDER) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) transcriptFiles(path, out);
    else if (TRANSCRIPT_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** Remove the run's shared texts that no transcript file names. Call it only while nothing else writes the run directory. */
export function sweepSharedTexts(runDir: string): TextSweep {
  const transcripts = join(runDir, 'transcripts');
  const store = join(transcripts, TEXT_STORE_FOLDER);
  if (!existsSync(store)) return { removed: 0, kept: 0 };
  const named = new Set<string>();
  for (const path of transcriptFiles(transcripts)) {
    try {
      const value: unknown = JSON.parse(transcriptJsonText(readFileSync(path), path));
      if (!isEnvelope(value)) continue;
      checkEnvelope(value);
      for (const hash of value.texts) named.add(hash);
    } catch (error) {
      return { removed: 0, kept: 0, skipped: `${path}: ${(error as Error).message}` };
    }
  }
  let removed = 0;
  let kept = 0;
  for (const prefix of readdirSync(store, { withFileTypes: true })) {
    if (!prefix.isDirectory()) continue;
    for (const name of readdirSync(join(store, prefix.name))) {
      const hash = TEXT_FILE.exec(name)?.[1];
      if (hash === undefined) continue; // not a shared text (temporary files are swept with the run's others)
      if (named.has(hash)) kept++;
      else {
        rmSync(join(store, prefix.name, name), { force: true });
        removed++;
      }
    }
  }
  return { removed, kept };
}
