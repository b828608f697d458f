// Files a session produced (Files API, scope = the session), downloaded into the trial's workspace
// so the checker reads what the agent wrote in the container too.
//
// The documented call: files.list({scope_id, betas: [managed-agents-2026-04-01]}) ("Filtering by
// scope_id requires the managed-agents-2026-04-01 beta header on the files request"), iterated to the
// last page (the SDK follows `next_page`). A file can be listed a few seconds after the session goes
// idle (indexing), so the list is read again once `settleMs` has passed since the idle, and every file
// new to either read is downloaded.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sleep, SESSION_FILES_BETAS, type ManagedClient } from './client.js';

export interface SessionFile {
  id: string;
  filename: string;
  /** Where it was written, relative to the workspace. */
  path: string;
}

export interface SessionFilesRequest {
  sessionId: string;
  workdir: string;
  /** Files already downloaded (an earlier run of the same session). */
  already: readonly SessionFile[];
  /** When the session went idle (ms since the epoch), and how long after it the list may still grow. */
  idleAt: number;
  settleMs: number;
  signal?: AbortSignal;
}

export async function downloadSessionFiles(client: ManagedClient, request: SessionFilesRequest): Promise<SessionFile[]> {
  const out = [...request.already];
  const done = new Set(out.map((f) => f.id));
  const readOnce = async (): Promise<void> => {
    try {
      for await (const file of client.sdk.beta.files.list({ scope_id: request.sessionId, betas: SESSION_FILES_BETAS })) {
        if (done.has(file.id) || file.downloadable === false) continue;
        done.add(file.id);
        const response = await client.sdk.beta.files.download(file.id, { betas: SESSION_FILES_BETAS });
        const bytes = Buffer.from(await response.arrayBuffer());
        out.push({ id: file.id, filename: file.filename, path: writeInto(request.workdir, basename(file.filename) || file.id, bytes) });
      }
    } catch (error) {
      throw client.infra(error, `download the files of session ${request.sessionId}`);
    }
  };
  await readOnce();
  const wait = request.idleAt + request.settleMs - Date.now();
  if (wait > 0) {
    await sleep(wait, request.signal);
    await readOnce();
  }
  return out;
}

/** The suite's own environment may have written the name already: keep both, the environment's where the checker looks. */
function writeInto(workdir: string, name: string, bytes: Buffer): string {
  let path = join(workdir, name);
  if (existsSync(path)) {
    mkdirSync(join(workdir, 'session-files'), { recursive: true });
    path = join(workdir, 'session-files', name);
  }
  writeFileSync(path, bytes);
  return path.slice(workdir.length + 1);
}
