// Writing curated memory where agents read it: a marked section of CLAUDE.md / AGENTS.md that
// leaves the rest of the file alone, a Claude Code memory folder, and a Managed Agents memory store
// (through the real SDK against the mock server).

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryFiles } from '../../core/arm.js';
import { createManagedClient } from '../../managed/client.js';
import { SimModel } from '../../models/sim/sim-model.js';
import { loadSuites } from '../../registry/suites.js';
import { MockManagedServer } from '../../testing/mock-managed-server.js';
import { tempDir } from '../../testing/run-helpers.js';
import { writeClaudeMemory } from './claude-memory.js';
import { parseTarget } from './index.js';
import { syncManagedStore } from './managed-store.js';
import { SECTION_END, SECTION_START, SectionError, writeSection } from './section.js';

const MEMORY: MemoryFiles = {
  'notes.md':
    '# Notes\n\nWhat earlier sessions taught.\n\n## Recurring errors\n\n- Set render_docx.numbering="legal-flat". <!-- dream: {"id":"d-1"} -->\n',
  'playbooks/nda.md': '# Playbook: nda\n\n## Preferences\n\n- Dates as YYYY-MM-DD. <!-- dream: {"id":"d-2"} -->\n',
};

describe('CLAUDE.md / AGENTS.md section', () => {
  it('appends a marked section once, keeps the user text byte for byte, and replaces only the section later', () => {
    const file = join(tempDir(), 'CLAUDE.md');
    const mine = '# My project\n\nRun `make test` before committing.\n';
    writeFileSync(file, mine);
    expect(writeSection(file, MEMORY)).toBe(true);
    const first = readFileSync(file, 'utf8');
    expect(first.startsWith(mine.trimEnd())).toBe(true);
    expect(first).toContain(SECTION_START);
    expect(first).toContain('- Set render_docx.numbering="legal-flat".');
    expect(first).toContain('### Playbook: nda');
    expect(first).not.toContain('<!-- dream:');
    expect(writeSection(file, MEMORY)).toBe(false); // unchanged memory, unchanged file

    // The user adds text after the section; the next write replaces the section only.
    writeFileSync(file, `${first}\n## Later notes\nKeep this.\n`);
    writeSection(file, { 'notes.md': '# Notes\n\n## Recurring errors\n\n- Use UTC. <!-- dream: {"id":"d-3"} -->\n' });
    const second = readFileSync(file, 'utf8');
    expect(second.startsWith(mine.trimEnd())).toBe(true);
    expect(second).toContain('- Use UTC.');
    expect(second).not.toContain('legal-flat');
    expect(second.endsWith('## Later notes\nKeep this.\n')).toBe(true);
    expect(second.split(SECTION_END)).toHaveLength(2);
  });

  it('creates a missing file, and refuses a file with only one marker', () => {
    const dir = tempDir();
    writeSection(join(dir, 'AGENTS.md'), MEMORY);
    expect(readFileSync(join(dir, 'AGENTS.md'), 'utf8').startsWith(SECTION_START)).toBe(true);
    writeFileSync(join(dir, 'broken.md'), `intro\n${SECTION_START}\nhalf\n`);
    expect(() => writeSection(join(dir, 'broken.md'), MEMORY)).toThrow(SectionError);
    expect(readFileSync(join(dir, 'broken.md'), 'utf8')).toBe(`intro\n${SECTION_START}\nhalf\n`);
  });
});

describe('Claude Code memory folder', () => {
  it('writes topic files and an index section, removes topics it no longer has, and never touches the user files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'MEMORY.md'), '# Memory\n\n- [My own notes](mine.md)\n');
    writeFileSync(join(dir, 'mine.md'), 'my notes\n');
    const changed = writeClaudeMemory(dir, MEMORY);
    expect(changed.map((p) => p.slice(dir.length + 1)).sort()).toEqual(['MEMORY.md', 'dreambench-notes.md', 'dreambench-playbook-nda.md']);
    const index = readFileSync(join(dir, 'MEMORY.md'), 'utf8');
    expect(index).toContain('- [My own notes](mine.md)');
    expect(index).toContain('- [Playbook: nda](dreambench-playbook-nda.md): 1 lesson from earlier sessions');
    expect(writeClaudeMemory(dir, MEMORY)).toEqual([]);
    writeClaudeMemory(dir, { 'notes.md': MEMORY['notes.md']! });
    expect(existsSync(join(dir, 'dreambench-playbook-nda.md'))).toBe(false);
    expect(readFileSync(join(dir, 'mine.md'), 'utf8')).toBe('my notes\n');
  });
});

describe('Managed Agents memory store', () => {
  let server: MockManagedServer;
  const KEY = 'test-key-not-a-secret';
  beforeAll(async () => {
    const suites = await loadSuites(['legal-drafting']);
    server = new MockManagedServer({ suite: 'legal-drafting', model: new SimModel('default', suites), apiKey: KEY });
    await server.start();
  });
  afterAll(async () => server.close());

  it('syncs memories under /dreambench/ only, updating changed ones and deleting dropped ones', async () => {
    const client = createManagedClient({ apiKey: KEY, baseURL: server.url, maxRetries: 0, timeoutMs: 10_000 });
    const store = await client.sdk.beta.memoryStores.create({ name: 'team' });
    await client.sdk.beta.memoryStores.memories.create(store.id, { path: '/team/handbook.md', content: 'ours' });
    expect(await syncManagedStore(client, store.id, MEMORY)).toEqual({ created: 2, updated: 0, deleted: 0, unchanged: 0 });
    expect(await syncManagedStore(client, store.id, MEMORY)).toEqual({ created: 0, updated: 0, deleted: 0, unchanged: 2 });
    const next = { 'notes.md': MEMORY['notes.md']!.replace('legal-flat', 'legal-nested') };
    expect(await syncManagedStore(client, store.id, next)).toEqual({ created: 0, updated: 1, deleted: 1, unchanged: 0 });
    const paths: string[] = [];
    for await (const m of client.sdk.beta.memoryStores.memories.list(store.id, { view: 'full' }))
      if (m.type === 'memory') paths.push(`${m.path}=${m.content ?? ''}`);
    expect(paths.sort()).toEqual([
      '/dreambench/notes.md=# Notes\n\nWhat earlier sessions taught.\n\n## Recurring errors\n\n- Set render_docx.numbering="legal-nested".\n',
      '/team/handbook.md=ours',
    ]);
  });
});

describe('target specs', () => {
  it('resolves paths against the working directory and rejects unknown kinds with the accepted ones', () => {
    expect(parseTarget('claude-md:CLAUDE.md', '/repo')).toEqual({ kind: 'claude-md', where: '/repo/CLAUDE.md' });
    expect(parseTarget('managed-store:memstore_01abc')).toEqual({ kind: 'managed-store', where: 'memstore_01abc' });
    expect(() => parseTarget('cursor:.cursorrules')).toThrow(
      /expected one of claude-md:\.\.\., agents-md:\.\.\., claude-memory:\.\.\., managed-store:\.\.\./,
    );
    expect(() => parseTarget('claude-md:')).toThrow(/needs a path/);
  });
});
