// The memory of one (arm, replicate): the entries after each session, each with its provenance (the
// trials it came from, linked; the dreams that edited it), an entry-level diff between any two
// sessions, and the dream changesets with their reasons and evidence. A pending changeset can be
// decided here (approve, reject, edit, or all at once) with the review token `dreambench view`
// printed; the run then continues with `dreambench resume`, as after `dreambench memory review`.

function trialLink(runId: string, id: string): HTMLElement {
  return h('a', { class: 'trial-link', href: `#/run/${runId}/trial/${encodeURIComponent(id)}`, 'data-trial': id }, id);
}

function entryRow(runId: string, e: EntryView, edits: EntryEdit[], cls = ''): HTMLElement {
  const p = e.provenance;
  return h(
    'div',
    { class: `entry ${cls}`, 'data-key': e.key },
    h('span', { class: 'muted' }, `${e.file} `),
    e.text,
    p || edits.length > 0
      ? h(
          'details',
          { class: 'provenance' },
          h('summary', {}, p ? `provenance: written in session ${p.written}, support ${p.support}, last used ${p.used}` : 'history'),
          p && p.trials.length > 0
            ? h(
                'div',
                {},
                'from trials: ',
                p.trials.map((t) => trialLink(runId, t)).flatMap((a) => [a, ' ']),
              )
            : null,
          p?.merged && p.merged.length > 0 ? h('div', {}, `merged: ${p.merged.join(', ')}`) : null,
          edits.length > 0
            ? h(
                'ul',
                {},
                edits.map((x) => h('li', {}, `${x.dream} #${x.n} ${x.kind} (${x.status}): ${x.reason}`)),
              )
            : null,
        )
      : null,
  );
}

function diffText(unified: string): HTMLElement {
  return h(
    'pre',
    { id: 'unified-diff' },
    unified.split('\n').map((line) => {
      const cls =
        line.startsWith('+') && !line.startsWith('+++') ? 'diff-add' : line.startsWith('-') && !line.startsWith('---') ? 'diff-del' : '';
      return cls ? h('span', { class: cls }, line) : `${line}\n`;
    }),
  );
}

function changeView(runId: string, m: MemoryTimeline, c: Changeset, change: Change, reload: () => void): HTMLElement {
  const pending = change.status === 'pending' && document.body.dataset.mode === 'server';
  const status = h('div', { class: 'review-status' });
  const decide = (action: string, text?: string): void => {
    postReview(runId, { arm: m.arm, rep: m.rep, session: c.session, n: change.n, action, ...(text !== undefined ? { text } : {}) })
      .then(reload)
      .catch((error: unknown) => {
        clear(status);
        status.appendChild(errorBox(error));
      });
  };
  const editor = h('textarea', { class: 'edit-text' }) as HTMLTextAreaElement;
  editor.value = change.after ?? '';
  return h(
    'div',
    { class: `change ${change.status}`, 'data-change': change.n },
    h('strong', {}, `#${change.n} ${change.kind}`),
    ` ${change.from_file && change.from_file !== change.file ? `${change.from_file} → ` : ''}${change.file} `,
    h('span', { class: 'muted' }, `[${change.id}]${change.category ? ` ${change.category}` : ''} `),
    h('span', { class: `pill status` }, change.status),
    change.review
      ? h(
          'span',
          { class: 'muted' },
          ` by ${change.review.by}${change.review.rule ? ` (${change.review.rule})` : ''}${change.review.edited ? ', edited' : ''}`,
        )
      : null,
    change.before !== undefined && change.kind !== 'add' ? h('div', { class: 'entry removed' }, `− ${change.before}`) : null,
    change.after !== undefined && change.kind !== 'delete' ? h('div', { class: 'entry added' }, `+ ${change.after}`) : null,
    h('div', {}, h('em', {}, 'reason: '), change.reason),
    change.evidence.length > 0
      ? h(
          'div',
          {},
          'evidence: ',
          change.evidence.map((t) => trialLink(runId, t)).flatMap((a) => [a, ' ']),
        )
      : null,
    pending
      ? h(
          'div',
          { class: 'actions' },
          h('button', { class: 'approve', onclick: () => decide('approve') }, 'approve'),
          h('button', { class: 'reject', onclick: () => decide('reject') }, 'reject'),
          change.kind !== 'delete'
            ? h(
                'details',
                {},
                h('summary', {}, 'edit then approve'),
                editor,
                h('button', { class: 'edit', onclick: () => decide('edit', editor.value) }, 'save edit and approve'),
              )
            : null,
          status,
        )
      : null,
  );
}

function changesetView(runId: string, m: MemoryTimeline, c: Changeset, reload: () => void): HTMLElement {
  const counts: Record<string, number> = {};
  for (const ch of c.changes) counts[ch.status] = (counts[ch.status] ?? 0) + 1;
  const pending = c.status === 'pending' && document.body.dataset.mode === 'server';
  const status = h('div');
  const all = (action: string): void => {
    postReview(runId, { arm: m.arm, rep: m.rep, session: c.session, action })
      .then(reload)
      .catch((error: unknown) => {
        clear(status);
        status.appendChild(errorBox(error));
      });
  };
  return h(
    'details',
    { class: 'card changeset', id: `dream-${c.session}`, open: c.status === 'pending' },
    h(
      'summary',
      {},
      `Dream after session ${c.session} (${c.dream}): `,
      h('span', { class: `pill ${c.status}` }, c.status),
      ` ${c.changes.length} changes (${Object.entries(counts)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}), ${c.replay.trials} trials replayed, review ${c.review_mode}`,
    ),
    c.analysis.error ? h('p', { class: 'bad' }, `analysis failed: ${c.analysis.error}`) : null,
    c.status === 'reviewed'
      ? h(
          'p',
          { class: 'reviewed-note' },
          'Every change is decided. Continue the run with `dreambench resume <run-dir>`: it applies the approved changes and writes the memory after this session.',
        )
      : null,
    pending
      ? h(
          'div',
          { class: 'actions' },
          h('button', { class: 'approve-all', onclick: () => all('approve-all') }, 'approve all pending'),
          h('button', { class: 'reject-all', onclick: () => all('reject-all') }, 'reject all pending'),
          status,
        )
      : null,
    c.changes.map((ch) => changeView(runId, m, c, ch, reload)),
    c.dropped_findings.length > 0
      ? h(
          'details',
          {},
          h('summary', {}, `${c.dropped_findings.length} findings not turned into changes`),
          h(
            'ul',
            {},
            c.dropped_findings.map((f) => h('li', {}, `${f.text} — ${f.reason}`)),
          ),
        )
      : null,
  );
}

/** Entries over sessions: one row per entry (by identity), one column per snapshot; ● present, ✎ text changed since the previous snapshot. */
function entryMatrix(m: MemoryTimeline, chosen: number | undefined, onPick: (session: number) => void): HTMLElement {
  const MAX_ROWS = 300;
  const order: string[] = [];
  const label = new Map<string, string>();
  for (const snap of m.snapshots)
    for (const e of snap.entries)
      if (!label.has(e.key)) {
        order.push(e.key);
        label.set(e.key, e.text);
      }
  const textAt = m.snapshots.map((snap) => new Map(snap.entries.map((e) => [e.key, e.text])));
  const rows = order.slice(0, MAX_ROWS).map((key) =>
    h(
      'tr',
      {},
      h('td', { class: 'entry-label', title: label.get(key) ?? '' }, (label.get(key) ?? '').slice(0, 90)),
      m.snapshots.map((snap, i) => {
        const text = textAt[i]!.get(key);
        const previous = i > 0 ? textAt[i - 1]!.get(key) : undefined;
        const mark = text === undefined ? '' : previous !== undefined && previous !== text ? '✎' : '●';
        return h('td', { class: `num${snap.session === chosen ? ' chosen' : ''}` }, mark);
      }),
    ),
  );
  return h(
    'details',
    { class: 'card', id: 'entry-matrix', open: order.length <= 40 },
    h('summary', {}, `Entries over sessions (${order.length} entries${order.length > MAX_ROWS ? `, first ${MAX_ROWS} shown` : ''})`),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, 'entry'),
          m.snapshots.map((snap) => h('th', { class: 'num sortable', onclick: () => onPick(snap.session) }, `s${snap.session}`)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

function tokenBox(): HTMLElement | null {
  if (document.body.dataset.mode !== 'server') return null;
  const input = h('input', {
    id: 'review-token',
    type: 'password',
    placeholder: 'review token',
    value: reviewToken(),
    onchange: (e: Event) => setReviewToken((e.target as HTMLInputElement).value),
  });
  return h('div', { class: 'card' }, h('label', {}, 'Review token (printed by `dreambench view` at start): ', input));
}

async function memoryPage(runId: string, params: URLSearchParams): Promise<void> {
  const arm = params.get('arm') ?? '';
  const rep = Number(params.get('rep') ?? '1');
  setCrumbs(['runs', '#/'], [runId, `#/run/${runId}`], [`memory ${arm} r${rep}`, location.hash]);
  const [detail, m] = await Promise.all([
    getJson<RunDetail>(`/api/run/${runId}`),
    getJson<MemoryTimeline>(`/api/run/${runId}/memory`, { arm, rep }),
  ]);
  const sessions = m.snapshots.map((s) => s.session);
  const chosen = Number(params.get('session') ?? sessions[sessions.length - 1] ?? 0);
  const snap = m.snapshots.find((s) => s.session === chosen) ?? m.snapshots[m.snapshots.length - 1];
  const pendingSessions = m.changesets
    .filter((c) => (c.status === 'pending' || c.status === 'reviewed') && c.proposed)
    .map((c) => c.session)
    .filter((s) => !sessions.includes(s));
  const targets = [...sessions, ...pendingSessions];
  const from = params.get('from') ?? String(sessions.length > 1 ? sessions[sessions.length - 2] : (sessions[0] ?? 0));
  const to = params.get('to') ?? String(targets[targets.length - 1] ?? 0);
  const set = (k: string, v: string): void => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    location.hash = `#/run/${runId}/memory?${next.toString()}`;
  };
  // After a decision: render the page again through the router (app.ts), which reports when it is done.
  const reload = (): void => void render();
  const diffBox = h('div', { id: 'entry-diff' }, h('p', { class: 'muted' }, 'Loading the diff…'));
  const replicas = detail.memory.flatMap((x) => x.replicates.map((r) => `${x.arm} r${r.rep}`));
  show(
    h('h1', {}, `Memory of ${arm}, replicate ${rep}`),
    h(
      'div',
      { class: 'filters' },
      h(
        'label',
        {},
        'arm and replicate',
        select('mem-arm', replicas, `${arm} r${rep}`, undefined, (v) => {
          const [a, r] = v.split(' r');
          location.hash = `#/run/${runId}/memory?arm=${encodeURIComponent(a ?? '')}&rep=${r ?? '1'}`;
        }),
      ),
      h(
        'label',
        {},
        'snapshot after session',
        select('mem-session', sessions, String(snap?.session ?? ''), undefined, (v) => set('session', v)),
      ),
    ),
    m.snapshots.length > 1 ? entryMatrix(m, snap?.session, (session) => set('session', String(session))) : null,
    snap
      ? h(
          'div',
          { class: 'grid2' },
          h(
            'div',
            {},
            h('h2', { id: 'mem-title' }, `After session ${snap.session}: ${snap.entries.length} entries, ~${num(snap.tokens)} tokens`),
            h(
              'div',
              { id: 'mem-entries' },
              snap.entries.length === 0
                ? h('p', { class: 'muted' }, 'empty')
                : snap.entries.map((e) => entryRow(runId, e, e.id ? (m.edits[e.id] ?? []) : [])),
            ),
          ),
          h(
            'div',
            {},
            h('h2', {}, 'Files'),
            snap.files.map((f) => h('details', { class: 'card' }, h('summary', {}, f.file), pre(f.text))),
          ),
        )
      : h('p', { class: 'muted' }, 'No snapshot yet.'),
    h('h2', {}, 'Entry diff'),
    h(
      'div',
      { class: 'filters' },
      h(
        'label',
        {},
        'from session',
        select('diff-from', targets, from, undefined, (v) => set('from', v)),
      ),
      h(
        'label',
        {},
        'to session',
        select('diff-to', targets, to, undefined, (v) => set('to', v)),
      ),
    ),
    diffBox,
    h('h2', {}, `Dreams (${m.changesets.length})`),
    m.changesets.some((c) => c.status === 'pending') ? tokenBox() : null,
    m.changesets.length === 0
      ? h('p', { class: 'muted' }, 'This arm keeps no dream changesets.')
      : m.changesets.map((c) => changesetView(runId, m, c, reload)),
  );
  const focus = params.get('dream');
  if (focus) document.getElementById(`dream-${focus}`)?.scrollIntoView();
  try {
    const d = await getJson<EntryDiff>(`/api/run/${runId}/memory-diff`, { arm, rep, from, to });
    clear(diffBox);
    diffBox.appendChild(
      h(
        'div',
        {},
        h(
          'p',
          { id: 'diff-summary' },
          `session ${d.from} → ${d.to}${d.proposed ? ' (pending review: what the changeset proposes)' : ''}: +${d.added.length} added, −${d.removed.length} removed, ${d.changed.length} changed, ${d.unchanged} unchanged`,
        ),
        d.added.map((e) => entryRow(runId, e, e.id ? (m.edits[e.id] ?? []) : [], 'added')),
        d.removed.map((e) => entryRow(runId, e, e.id ? (m.edits[e.id] ?? []) : [], 'removed')),
        d.changed.map((c) => h('div', { class: 'entry changed' }, h('div', {}, `− ${c.before.text}`), h('div', {}, `+ ${c.after.text}`))),
        h('details', {}, h('summary', {}, 'unified diff (as `dreambench memory diff` prints it)'), diffText(d.unified)),
      ),
    );
  } catch (error) {
    clear(diffBox);
    diffBox.appendChild(errorBox(error));
  }
}
