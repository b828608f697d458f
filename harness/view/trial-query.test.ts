// The trials table's query: filters, sorting and paging, and the same results when its source text
// runs alone in a fresh context (what the static export ships to the browser).

import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { trialQueryScript } from './assets.js';
import { queryTrials, trialFacets, type TrialQuery, type TrialRow } from './trial-query.js';

const rows: TrialRow[] = [];
for (const arm of ['stateless', 'dreaming']) {
  for (let session = 1; session <= 3; session++) {
    for (let slot = 0; slot < 4; slot++) {
      rows.push({
        id: `${arm}/r1/s00${session}/00${slot}-t${slot}`,
        arm,
        replicate: 1,
        session,
        slot,
        task: `t${slot}`,
        suite: 'legal-drafting',
        family: slot % 2 ? 'nda' : 'motion',
        slice: 'train',
        success: (session + slot) % 3 === 0,
        score: slot / 4,
        turns: 3 + slot + session,
        tool_calls: 5,
        tokens: 1000 * slot,
        cost_usd: 0.01 * slot,
        wall_ms: 5,
        error_class: (session + slot) % 3 === 0 ? 'none' : 'agent',
        pitfalls_hit: slot === 1 ? ['p-one'] : slot === 2 ? ['p-one', 'p-two'] : [],
      });
    }
  }
}

describe('queryTrials', () => {
  it('filters on every field the table offers', () => {
    const page = queryTrials(rows, { arm: 'dreaming', session: '2', family: 'nda', success: 'false', error_class: 'agent', limit: '500' });
    expect(page.rows.length).toBe(page.total);
    expect(
      page.rows.every((r) => r.arm === 'dreaming' && r.session === 2 && r.family === 'nda' && !r.success && r.error_class === 'agent'),
    ).toBe(true);
    expect(page.total).toBe(rows.filter((r) => r.arm === 'dreaming' && r.session === 2 && r.family === 'nda' && !r.success).length);
    expect(queryTrials(rows, { pitfall: 'p-two' }).total).toBe(6);
    expect(queryTrials(rows, { pitfall: 'p-one' }).total).toBe(12);
    expect(queryTrials(rows, { slot: '0', replicate: '1' }).total).toBe(6);
  });

  it('sorts both ways with a stable order for ties, and ignores unknown sort keys', () => {
    const desc = queryTrials(rows, { sort: 'turns', dir: 'desc', limit: '500' }).rows.map((r) => r.turns);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    const asc = queryTrials(rows, { sort: 'task', limit: '500' }).rows.map((r) => r.task);
    expect(asc).toEqual([...asc].sort());
    expect(queryTrials(rows, { sort: 'constructor' }).rows[0]!.arm).toBe('dreaming');
  });

  it('pages with a bounded limit', () => {
    const first = queryTrials(rows, { limit: '5' });
    const second = queryTrials(rows, { limit: '5', offset: '5' });
    expect(first.rows).toHaveLength(5);
    expect(second.rows[0]).toEqual(queryTrials(rows, { limit: '500' }).rows[5]);
    expect(queryTrials(rows, { limit: '100000' }).limit).toBe(500);
    expect(queryTrials(rows, { offset: '9999' }).rows).toHaveLength(1);
  });

  it('gives the same answers when shipped to the browser as source text', () => {
    const context: { queryTrials?: (rows: TrialRow[], q: TrialQuery) => unknown } = {};
    runInNewContext(trialQueryScript(), context);
    const queries: TrialQuery[] = [
      {},
      { arm: 'stateless', sort: 'cost_usd', dir: 'desc' },
      { pitfall: 'p-one', success: 'true' },
      { session: '3', offset: '2', limit: '3' },
    ];
    for (const q of queries) expect(JSON.parse(JSON.stringify(context.queryTrials!(rows, q)))).toEqual(queryTrials(rows, q));
  });

  it('lists the values each filter can take', () => {
    const facets = trialFacets(rows);
    expect(facets.arm).toEqual(['dreaming', 'stateless']);
    expect(facets.session).toEqual([1, 2, 3]);
    expect(facets.pitfall).toEqual(['p-one', 'p-two']);
    expect(facets.error_class).toEqual(['agent', 'none']);
  });
});
