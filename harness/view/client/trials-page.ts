// A run's page: its summary, links to memory and dreams, and the trials table with filters (arm,
// replicate, session, suite, family, success, error class, pitfall), sorting and paging. The
// filters live in the address (#/run/<id>?arm=...), so a filtered view can be shared and reloaded.

const TRIAL_COLUMNS: Array<[keyof TrialRow, string, boolean]> = [
  ['arm', 'arm', false],
  ['replicate', 'rep', true],
  ['session', 'session', true],
  ['slot', 'slot', true],
  ['task', 'task', false],
  ['family', 'family', false],
  ['success', 'success', false],
  ['score', 'score', true],
  ['turns', 'turns', true],
  ['tool_calls', 'tool calls', true],
  ['tokens', 'tokens', true],
  ['cost_usd', 'cost', true],
  ['error_class', 'error', false],
];

function runLinks(runId: string, detail: RunDetail): HTMLElement {
  const pending = detail.dreams.filter((d) => d.status === 'pending');
  return h(
    'div',
    { class: 'card', id: 'run-links' },
    h(
      'div',
      {},
      h('strong', {}, 'Memory: '),
      detail.memory.length === 0 ? h('span', { class: 'muted' }, 'no snapshots') : null,
      detail.memory
        .flatMap((m) =>
          m.replicates.map((r) =>
            h(
              'a',
              { href: `#/run/${runId}/memory?arm=${encodeURIComponent(m.arm)}&rep=${r.rep}`, class: 'mem-link' },
              `${m.arm} r${r.rep}`,
            ),
          ),
        )
        .flatMap((a) => [a, ' ']),
    ),
    pending.length > 0
      ? h(
          'div',
          { id: 'pending-reviews' },
          h('strong', {}, 'Awaiting review: '),
          pending
            .map((d) =>
              h(
                'a',
                { href: `#/run/${runId}/memory?arm=${encodeURIComponent(d.arm)}&rep=${d.rep}&dream=${d.session}` },
                `${d.dream} (${d.counts.pending ?? 0} pending)`,
              ),
            )
            .flatMap((a) => [a, ' ']),
        )
      : null,
    h('div', {}, h('a', { href: `#/compare?a=${runId}&b=${runId}` }, 'side by side: two arms on the same slot')),
  );
}

async function trialsPage(runId: string, params: URLSearchParams): Promise<void> {
  setCrumbs(['runs', '#/'], [runId, `#/run/${runId}`]);
  const detail = await getJson<RunDetail>(`/api/run/${runId}`);
  const query: TrialQuery = {};
  for (const [k, v] of params) if (v) (query as Record<string, string>)[k] = v;
  const page = await getTrials(runId, query);
  const s = detail.summary;
  const setQuery = (changes: TrialQuery): void => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('offset' in changes)) next.delete('offset');
    location.hash = `#/run/${runId}${next.toString() ? `?${next.toString()}` : ''}`;
  };
  const filter = (name: keyof Facets & keyof TrialQuery, label: string): HTMLElement =>
    h(
      'label',
      {},
      label,
      select(`filter-${name}`, detail.facets[name], query[name], 'all', (v) => setQuery({ [name]: v })),
    );
  const sortKey = query.sort;
  const dir = query.dir === 'desc' ? 'desc' : 'asc';
  const header = TRIAL_COLUMNS.map(([key, label, numeric]) =>
    h(
      'th',
      {
        class: `sortable${numeric ? ' num' : ''}${sortKey === key ? ` sorted-${dir}` : ''}`,
        'data-sort': key,
        onclick: () => setQuery({ sort: key, dir: sortKey === key && dir === 'asc' ? 'desc' : 'asc' }),
      },
      label,
    ),
  );
  const cell = (row: TrialRow, key: keyof TrialRow): HTMLElement => {
    const v = row[key];
    if (key === 'success') return h('td', { class: row.success ? 'ok' : 'bad' }, row.success ? 'yes' : 'no');
    if (key === 'task') return h('td', {}, h('a', { href: `#/run/${runId}/trial/${encodeURIComponent(row.id)}` }, row.task));
    if (key === 'cost_usd') return h('td', { class: 'num' }, usd(row.cost_usd));
    if (key === 'score') return h('td', { class: 'num' }, row.score.toFixed(2));
    return h('td', { class: typeof v === 'number' ? 'num' : '' }, typeof v === 'number' ? num(v) : String(v));
  };
  const last = page.offset + page.rows.length;
  show(
    h(
      'h1',
      {},
      `${s.name} `,
      h('span', { class: `pill ${s.status}` }, s.status.replace(/_/g, ' ')),
      ' ',
      h('span', { class: 'muted' }, `${s.model} · ${s.arms.join(', ')}`),
    ),
    s.simulated ? h('p', { class: 'muted' }, 'A sim:* run: its figures describe the harness, not any real model.') : null,
    s.stop_reason ? h('p', { class: 'muted' }, s.stop_reason) : null,
    h(
      'p',
      {},
      s.per_arm.map((a) => h('span', { class: 'pill' }, `${a.arm}: ${pct(a.successes, a.trials)} of ${a.trials}`)),
    ),
    runLinks(runId, detail),
    h('h2', {}, 'Trials'),
    h(
      'div',
      { class: 'filters' },
      filter('arm', 'arm'),
      filter('replicate', 'replicate'),
      filter('session', 'session'),
      filter('suite', 'suite'),
      filter('family', 'family'),
      h(
        'label',
        {},
        'success',
        select('filter-success', ['true', 'false'], query.success, 'all', (v) => setQuery({ success: v })),
      ),
      filter('error_class', 'error class'),
      filter('pitfall', 'pitfall hit'),
      h('button', { id: 'filter-clear', onclick: () => (location.hash = `#/run/${runId}`) }, 'clear'),
    ),
    h(
      'div',
      { class: 'pager' },
      h('span', { id: 'trial-count' }, `${num(page.total)} trials`, page.total > 0 ? ` (showing ${page.offset + 1}–${last})` : ''),
      h(
        'button',
        {
          id: 'page-prev',
          disabled: page.offset === 0,
          onclick: () => setQuery({ offset: String(Math.max(0, page.offset - page.limit)) }),
        },
        '‹ previous',
      ),
      h(
        'button',
        { id: 'page-next', disabled: last >= page.total, onclick: () => setQuery({ offset: String(page.offset + page.limit) }) },
        'next ›',
      ),
    ),
    h(
      'table',
      { id: 'trial-table' },
      h('thead', {}, h('tr', {}, header)),
      h(
        'tbody',
        {},
        page.rows.map((row) =>
          h(
            'tr',
            { 'data-trial': row.id },
            TRIAL_COLUMNS.map(([key]) => cell(row, key)),
          ),
        ),
      ),
    ),
  );
}
