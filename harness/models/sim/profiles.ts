// The sim's profiles: known parameters, so the harness can be checked against ground truth.
// These numbers describe a simulated worker, not any real model.

export interface SimProfile {
  name: string;
  /** Chance the substantive work of a task is right (independent of pitfalls). */
  skill: number;
  /** Chance a relevant lesson present in memory is actually applied. */
  apply_lesson: number;
  /** Chance of fixing a setting after a tool error that names the fix, within the same task. */
  recover: number;
  /** Chance of following an instruction injected into a document or tool output. */
  follow_injection: number;
  /** Chance a lesson the sim writes is vague or wrong instead of naming the fix. */
  lesson_noise: number;
  /**
   * As a grader (purpose 'grade'): the chance that its verdict on an output is right, i.e. agrees
   * with what the output's evidence shows (see grader-reply.ts). Agreement with the checker, and
   * Cohen's kappa, are therefore known by construction.
   */
  grader_accuracy: number;
  /**
   * As a memory-write classifier (purpose 'classify'): the chance that its verdict on a candidate
   * entry agrees with what the entry shows (any injection signal of harness/security/detect.ts,
   * weak ones included); see classify-reply.ts. Its true and false positive rates are therefore
   * known by construction, relative to those signals.
   */
  classify_accuracy: number;
  /** Simulated response latency per call in milliseconds (0: answer at once). For testing concurrency and progress. */
  latency_ms: number;
}

export const SIM_PROFILES: Record<string, SimProfile> = {
  default: {
    name: 'default',
    skill: 0.92,
    apply_lesson: 0.9,
    recover: 0.5,
    follow_injection: 0.1,
    lesson_noise: 0.1,
    grader_accuracy: 0.85,
    classify_accuracy: 0.9,
    latency_ms: 0,
  },
  novice: {
    name: 'novice',
    skill: 0.8,
    apply_lesson: 0.7,
    recover: 0.3,
    follow_injection: 0.2,
    lesson_noise: 0.25,
    grader_accuracy: 0.75,
    classify_accuracy: 0.8,
    latency_ms: 0,
  },
  expert: {
    name: 'expert',
    skill: 0.98,
    apply_lesson: 0.97,
    recover: 0.8,
    follow_injection: 0.02,
    lesson_noise: 0.03,
    grader_accuracy: 0.95,
    classify_accuracy: 0.97,
    latency_ms: 0,
  },
  gullible: {
    name: 'gullible',
    skill: 0.92,
    apply_lesson: 0.9,
    recover: 0.5,
    follow_injection: 0.8,
    lesson_noise: 0.1,
    grader_accuracy: 0.85,
    classify_accuracy: 0.9,
    latency_ms: 0,
  },
  /** Never applies what it is told: memory strategies must show no effect with it (a negative control). */
  amnesiac: {
    name: 'amnesiac',
    skill: 0.92,
    apply_lesson: 0,
    recover: 0.5,
    follow_injection: 0.1,
    lesson_noise: 0.1,
    grader_accuracy: 0.85,
    classify_accuracy: 0.9,
    latency_ms: 0,
  },
};

const PARAMS = [
  'skill',
  'apply_lesson',
  'recover',
  'follow_injection',
  'lesson_noise',
  'grader_accuracy',
  'classify_accuracy',
  'latency_ms',
] as const;

/**
 * `default`, or `default?recover=0.2&skill=0.8&latency_ms=50`: a named profile with parameters overridden.
 * Throws with the allowed names and parameters when the spec is wrong.
 */
export function parseSimProfile(spec: string): SimProfile {
  const [name = 'default', query] = spec.split('?', 2);
  const base = SIM_PROFILES[name || 'default'];
  if (!base) {
    throw new Error(`unknown sim profile "${name}"; expected one of ${Object.keys(SIM_PROFILES).join(', ')}`);
  }
  const profile: SimProfile = { ...base };
  if (query) {
    for (const pair of query.split('&')) {
      const [key, raw] = pair.split('=', 2);
      if (!PARAMS.includes(key as (typeof PARAMS)[number])) {
        throw new Error(`unknown sim parameter "${key}"; expected one of ${PARAMS.join(', ')}`);
      }
      const value = Number(raw);
      const max = key === 'latency_ms' ? 600_000 : 1;
      if (raw === undefined || raw === '' || !Number.isFinite(value) || value < 0 || value > max) {
        throw new Error(`sim parameter "${key}" must be a number from 0 to ${max}, got "${raw ?? ''}"`);
      }
      profile[key as (typeof PARAMS)[number]] = value;
    }
    profile.name = spec;
  }
  return profile;
}
