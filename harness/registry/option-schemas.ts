// The option schemas that suites and arms declare (Suite.options, ArmFactory.options), collected for
// the experiment's JSON Schema: every built-in one, plus the external suites and arms an experiment names.

import type { ZodType } from 'zod';
import type { OptionSchemas } from '../config/json-schema.js';
import { resolveArms, type ArmEntry } from '../config/schema.js';
import { armNames, loadArmFactory } from './arms.js';
import { loadSuite, suiteNames } from './suites.js';

export interface ExperimentRefs {
  suites?: readonly string[];
  arms?: readonly ArmEntry[];
  base_dir?: string;
}

/** Option schemas by suite name and by arm reference; a suite or arm that fails to load is skipped (validation reports it). */
export async function collectOptionSchemas(experiment: ExperimentRefs = {}): Promise<Required<OptionSchemas>> {
  const baseDir = experiment.base_dir ?? process.cwd();
  const suites = new Map<string, ZodType>();
  const arms = new Map<string, ZodType>();
  for (const ref of new Set([...suiteNames(), ...(experiment.suites ?? [])])) {
    const suite = await loadSuite(ref, baseDir).catch(() => undefined);
    if (suite?.options) suites.set(suite.name, suite.options);
  }
  const armRefs = [...armNames(), ...resolveArms(experiment.arms ?? []).map((a) => a.arm)];
  for (const ref of new Set(armRefs)) {
    const factory = await loadArmFactory(ref, baseDir).catch(() => undefined);
    if (factory?.options) arms.set(ref, factory.options);
  }
  return { suites, arms };
}
