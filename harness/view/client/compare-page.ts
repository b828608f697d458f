// Side by side: the same task slot (replicate, session, position) under two arms of one run, or the
// same arm and slot in two runs: the paired design made visible, transcripts next to each other.

async function findTrial(runId: string, arm: string, rep: string, session: string, slot: string): Promise<TrialDetail | undefined> {
  const page = await getTrials(runId, { arm, replicate: rep, session, slot, limit: '1' });
  const row = page.rows[0];
  return row ? getJson<TrialDetail>(`/api/run/${runId}/trial`, { id: row.id }) : undefined;
}

async function comparePage(params: URLSearchParams): Promise<void> {
  setCrumbs(['runs', '#/'], ['side by side', location.hash]);
  const { runs } = await getJson<{ runs: RunSummary[] }>('/api/runs');
  const get = (k: string, fallback: string): string => params.get(k) || fallback;
  const a = get('a', runs[0]?.id ?? '');
  const b = get('b', a);
  const runA = runs.find((r) => r.id === a);
  const runB = runs.find((r) => r.id === b);
  if (!runA || !runB) return show(errorBox('Choose two runs.'));
  const armA = get('arm', runA.arms[0] ?? '');
  const armB = get('armB', a === b ? (runB.arms.find((x) => x !== armA) ?? armA) : armA);
  const rep = get('rep', '1');
  const session = get('session', '1');
  const slot = get('slot', '0');
  const set = (k: string, v: string): void => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    location.hash = `#/compare?${next.toString()}`;
  };
  const [left, right] = await Promise.all([findTrial(a, armA, rep, session, slot), findTrial(b, armB, rep, session, slot)]);
  const column = (runId: string, arm: string, d: TrialDetail | undefined, side: string): HTMLElement =>
    h(
      'div',
      { id: `side-${side}` },
      h(
        'h2',
        { class: 'side-title' },
        d ? h('a', { href: `#/run/${runId}/trial/${encodeURIComponent(d.id)}` }, `${runId}: ${d.id}`) : `${runId}: ${arm}`,
      ),
      d ? trialBody(runId, d) : h('p', { class: 'muted' }, 'No trial at this slot.'),
    );
  show(
    h('h1', {}, 'Side by side'),
    h(
      'div',
      { class: 'filters' },
      h(
        'label',
        {},
        'left run',
        select(
          'cmp-a',
          runs.map((r) => r.id),
          a,
          undefined,
          (v) => set('a', v),
        ),
      ),
      h(
        'label',
        {},
        'left arm',
        select('cmp-arm', runA.arms, armA, undefined, (v) => set('arm', v)),
      ),
      h(
        'label',
        {},
        'right run',
        select(
          'cmp-b',
          runs.map((r) => r.id),
          b,
          undefined,
          (v) => set('b', v),
        ),
      ),
      h(
        'label',
        {},
        'right arm',
        select('cmp-armB', runB.arms, armB, undefined, (v) => set('armB', v)),
      ),
      h(
        'label',
        {},
        'replicate',
        h('input', {
          id: 'cmp-rep',
          type: 'number',
          min: 1,
          value: rep,
          onchange: (e: Event) => set('rep', (e.target as HTMLInputElement).value),
        }),
      ),
      h(
        'label',
        {},
        'session',
        h('input', {
          id: 'cmp-session',
          type: 'number',
          min: 1,
          value: session,
          onchange: (e: Event) => set('session', (e.target as HTMLInputElement).value),
        }),
      ),
      h(
        'label',
        {},
        'slot',
        h('input', {
          id: 'cmp-slot',
          type: 'number',
          min: 0,
          value: slot,
          onchange: (e: Event) => set('slot', (e.target as HTMLInputElement).value),
        }),
      ),
    ),
    h('div', { class: 'grid2' }, column(a, armA, left, 'left'), column(b, armB, right, 'right')),
  );
}
