// Where standalone dreaming writes the curated memory, besides its own memory folder (always the
// store of record: notes.md, playbooks/, .dreambench/). A target is named on the command line as
//   claude-md:PATH       a marked section of a CLAUDE.md
//   agents-md:PATH       a marked section of an AGENTS.md
//   claude-memory:DIR    a Claude Code memory folder (MEMORY.md index and topic files)
//   managed-store:ID     a Claude Managed Agents memory store (memories under /dreambench/)
// Targets are remembered in the memory folder's state, so `dreambench memory review` writes them
// after a person approves a dream, and only ever from applied memory: pending changes never reach
// an agent.

import { isAbsolute, resolve } from 'node:path';
import type { MemoryFiles } from '../../core/arm.js';
import { createManagedClient } from '../../managed/client.js';
import { writeClaudeMemory } from './claude-memory.js';
import { syncManagedStore } from './managed-store.js';
import { writeSection } from './section.js';

export const TARGET_KINDS = ['claude-md', 'agents-md', 'claude-memory', 'managed-store'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface Target {
  kind: TargetKind;
  /** An absolute path (files, folders) or a memory store id. */
  where: string;
}

export class TargetError extends Error {
  override name = 'TargetError';
}

/** Parse `kind:where`; paths are resolved against `cwd` so the state stays valid from anywhere. */
export function parseTarget(spec: string, cwd = process.cwd()): Target {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : spec;
  const where = colon > 0 ? spec.slice(colon + 1) : '';
  if (!(TARGET_KINDS as readonly string[]).includes(kind))
    throw new TargetError(`--write "${spec}": expected one of ${TARGET_KINDS.map((k) => `${k}:...`).join(', ')}`);
  if (!where)
    throw new TargetError(
      `--write "${spec}": ${kind} needs ${kind === 'managed-store' ? 'a memory store id (memstore_...)' : 'a path'} after the colon`,
    );
  if (kind === 'managed-store') {
    if (!/^[A-Za-z0-9_-]+$/.test(where)) throw new TargetError(`--write "${spec}": "${where}" is not a memory store id`);
    return { kind, where };
  }
  return { kind: kind as TargetKind, where: isAbsolute(where) ? where : resolve(cwd, where) };
}

export const describeTarget = (t: Target): string => `${t.kind}:${t.where}`;

/** Write the applied memory to every target; returns one line per target saying what changed. */
export async function writeTargets(
  targets: readonly Target[],
  files: MemoryFiles,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string[]> {
  const lines: string[] = [];
  for (const target of targets) {
    switch (target.kind) {
      case 'claude-md':
      case 'agents-md':
        lines.push(`${describeTarget(target)}: ${writeSection(target.where, files) ? 'section updated' : 'unchanged'}`);
        break;
      case 'claude-memory': {
        const changed = writeClaudeMemory(target.where, files);
        lines.push(`${describeTarget(target)}: ${changed.length ? `${changed.length} file(s) written` : 'unchanged'}`);
        break;
      }
      case 'managed-store': {
        const client = createManagedClient({ maxRetries: 4, timeoutMs: 60_000, env });
        const r = await syncManagedStore(client, target.where, files);
        lines.push(`${describeTarget(target)}: ${r.created} created, ${r.updated} updated, ${r.deleted} deleted, ${r.unchanged} unchanged`);
        break;
      }
    }
  }
  return lines;
}
