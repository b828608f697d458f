// The part of an office environment (office-docx, office-pptx) that does not depend on the format:
// placing the task's files in the workdir, the pitfalls of the task, the bookkeeping of pitfall hits
// (tool errors during the task, review findings after check) and the last value given to each
// setting, which judges review pitfalls when no file was built. A suite's environment adds its tools,
// its draft state and its checker.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ToolSpec } from '../../harness/core/messages.js';
import type { CheckResult, Environment, EnvironmentContext, Task, ToolOutcome } from '../../harness/core/suite.js';
import type { OfficeFileCheck } from './checking.js';
import type { OfficePitfall } from './data.js';
import type { OfficeSuiteData } from './load.js';
import { reviewHitsWithoutFile } from './workspace.js';

export const toolError = (content: string): ToolOutcome => ({ content, is_error: true });
export const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Write the task's files into the workdir (making the folders a path names). */
export function placeTaskFiles(task: Task, workdir: string): void {
  for (const [path, content] of Object.entries(task.files)) {
    const target = join(workdir, path);
    if (path.includes('/')) mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

export abstract class OfficeEnvironment implements Environment {
  abstract readonly tools: ToolSpec[];
  protected readonly toolErrorHits = new Set<string>();
  private reviewHits: string[] = [];
  /** The last value the agent gave each pitfall's parameter (judges review pitfalls when no file exists). */
  protected readonly lastValues = new Map<string, string>();
  protected built = false;
  /** The task's pitfalls. */
  protected readonly pitfalls: OfficePitfall[];

  constructor(
    suite: string,
    protected readonly task: Task,
    protected readonly data: OfficeSuiteData,
    protected readonly context: EnvironmentContext,
  ) {
    if (!data.families.some((f) => f.id === task.family))
      throw new Error(`${suite}: task ${task.id} has an unknown family "${task.family}"`);
    this.pitfalls = data.pitfalls.filter((p) => task.pitfalls.includes(p.id));
  }

  abstract call(name: string, input: Record<string, unknown>): Promise<ToolOutcome>;

  /** Run the suite's checker over the built file in the workdir. */
  protected abstract checkFile(): OfficeFileCheck;

  /** Remember the values a tool was called with, by `tool.param`. */
  protected remember(tool: string, settings: Record<string, string>): void {
    for (const [param, value] of Object.entries(settings)) this.lastValues.set(`${tool}.${param}`, value);
  }

  async check(): Promise<CheckResult> {
    const result = this.checkFile();
    if (result.document) {
      this.reviewHits = result.reviewHits;
    } else {
      this.reviewHits = reviewHitsWithoutFile(this.pitfalls, this.lastValues, this.context.drifted);
    }
    const { document: _document, reviewHits: _reviewHits, ...checkResult } = result;
    return checkResult;
  }

  pitfallsHit(): string[] {
    const hit = new Set([...this.toolErrorHits, ...this.reviewHits]);
    return this.pitfalls.filter((p) => hit.has(p.id)).map((p) => p.id);
  }
}
