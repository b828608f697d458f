// The runs page: every served run with its name, model, arms, status, date and success per arm.
// A run in progress re-renders as its journal grows (app.ts listens to the server's live stream).
// With agent logs served (--logs), it links to them, or shows them when no run is served.

async function runsPage(): Promise<void> {
  setCrumbs(['runs', '#/']);
  const { runs, logs } = await getJson<{ runs: RunSummary[]; logs?: LogsSummary }>('/api/runs');
  // Served with --logs only: the conversations are the home page.
  if (logs && runs.length === 0) return logsPage(new URLSearchParams());
  const simulated = runs.some((r) => r.simulated);
  show(
    logs
      ? h(
          'p',
          { class: 'card', id: 'logs-link' },
          h('a', { href: '#/logs' }, `Agent logs: ${logs.conversations} conversations`),
          ` (${logs.found})`,
        )
      : null,
    h('h1', {}, `Runs (${runs.length})`),
    simulated ? h('p', { class: 'muted', id: 'sim-note' }, 'Runs of sim:* models describe the harness, not any real model.') : null,
    runs.length === 0 ? h('p', {}, 'No run directory (a folder with manifest.json) under the paths given.') : null,
    h(
      'table',
      { id: 'runs-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['run', 'name', 'model', 'status', 'created', 'trials', 'success per arm', 'cost'].map((c) => h('th', {}, c)),
        ),
      ),
      h(
        'tbody',
        {},
        runs.map((r) =>
          h(
            'tr',
            { 'data-run': r.id },
            h('td', {}, h('a', { href: `#/run/${r.id}` }, r.id)),
            h('td', {}, r.name),
            h('td', {}, r.model),
            h(
              'td',
              {},
              h('span', { class: `pill ${r.status}` }, r.status.replace(/_/g, ' ')),
              r.invalid ? h('div', { class: 'bad' }, `invalid: ${r.invalid}`) : null,
            ),
            h('td', {}, r.created_at.replace('T', ' ').slice(0, 16)),
            h('td', { class: 'num trials' }, r.status === 'running' && r.planned ? `${num(r.trials)} / ${num(r.planned)}` : num(r.trials)),
            h(
              'td',
              {},
              r.per_arm.map((a) =>
                h(
                  'div',
                  {},
                  `${a.arm}: `,
                  h('strong', {}, pct(a.successes, a.trials)),
                  h('span', { class: 'muted' }, ` (${a.successes}/${a.trials})`),
                ),
              ),
            ),
            h('td', { class: 'num' }, usd(r.cost_usd)),
          ),
        ),
      ),
    ),
  );
}
