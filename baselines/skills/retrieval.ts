// Which skills a task gets: Okapi BM25 (k1 = 1.2, b = 0.75) of the task's title and prompt against
// each skill's name and when-to-use line, computed over the library as it stands (memory is frozen
// within a session, so every trial of a session ranks against the same library). Terms are lowercase
// letters and digits, English stop words and one-letter tokens dropped; each distinct query term
// counts once, so a long prompt that repeats a word does not outweigh the rest. The top `k` with a
// score of at least `minScore` are returned, best first, ties by name: deterministic, offline.

import type { Skill } from './library.js';

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

const STOP = new Set(
  (
    'a an and are as at be but by for from has have i if in into is it its of on or our that the their then there these this to was ' +
    'we were will with you your each every any all not no do does one two than which who whom what when where why how also may must shall'
  ).split(' '),
);

export function terms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1 && !STOP.has(t));
}

export interface Ranked {
  skill: Skill;
  score: number;
}

/** The text a skill is matched on: its name (words) and its when-to-use line. */
export function skillDocument(skill: Skill): string {
  return `${skill.name.replace(/-/g, ' ')} ${skill.when}`;
}

export function rankSkills(query: string, skills: readonly Skill[]): Ranked[] {
  const docs = skills.map((skill) => ({ skill, terms: terms(skillDocument(skill)) }));
  const n = docs.length;
  if (n === 0) return [];
  const avgdl = docs.reduce((sum, d) => sum + d.terms.length, 0) / n || 1;
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d.terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const queryTerms = [...new Set(terms(query))];
  return docs
    .map(({ skill, terms: dt }) => {
      const tf = new Map<string, number>();
      for (const t of dt) tf.set(t, (tf.get(t) ?? 0) + 1);
      let score = 0;
      for (const q of queryTerms) {
        const f = tf.get(q);
        if (!f) continue;
        const nq = df.get(q) ?? 0;
        const idf = Math.log(1 + (n - nq + 0.5) / (nq + 0.5));
        score += (idf * f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * dt.length) / avgdl));
      }
      return { skill, score };
    })
    .sort((a, b) => b.score - a.score || a.skill.name.localeCompare(b.skill.name));
}

export function retrieve(query: string, skills: readonly Skill[], k: number, minScore: number): Ranked[] {
  return rankSkills(query, skills)
    .filter((r) => r.score > 0 && r.score >= minScore)
    .slice(0, k);
}
