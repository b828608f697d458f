// Agent logs served with `dreambench view --logs`: the conversations table (source file, format,
// session id, turns, outcome and where it came from) with filters, a text search, sorting and paging
// kept in the address (#/logs?format=...&q=...); one conversation rendered as a trial's transcript
// is; and, with --memory, the memory entries linked to the conversations that taught them.

const LOG_COLUMNS: Array<[keyof ConversationRow, string, boolean]> = [
  ['started_at', 'started', false],
  ['id', 'session', false],
  ['format', 'format', false],
  ['task', 'task', false],
  ['family', 'family', false],
  ['turns', 'turns', true],
  ['tool_calls', 'tool calls', true],
  ['tool_errors', 'tool errors', true],
  ['outcome', 'outcome', false],
  ['memory', 'memory', true],
  ['file', 'file', false],
];

/** Where an outcome came from, in words (docs/dream-from-logs.md, "Outcomes when the logs have none"). */
const OUTCOME_FROM: Record<string, string> = {
  log: 'from the log itself',
  'outcome-file': 'from the outcome file',
  signals: "from the log's signals: a user's correction or a test run",
  grader: "from a grader's verdict",
  none: 'the log does not say',
};

const logHref = (id: string): string => `#/log?id=${encodeURIComponent(id)}`;

function outcomeCell(row: ConversationRow): HTMLElement {
  const cls = row.outcome === 'completed' ? 'ok' : row.outcome === 'not completed' ? 'bad' : 'muted';
  return h(
    'td',
    { class: 'outcome' },
    h('span', { class: cls }, row.outcome),
    row.outcome_source !== 'none' ? h('span', { class: 'muted' }, ` (${row.outcome_source})`) : null,
  );
}

async function logsPage(params: URLSearchParams): Promise<void> {
  setCrumbs(['runs', '#/'], ['logs', '#/logs']);
  const query: LogQuery = {};
  for (const [k, v] of params) if (v) (query as Record<string, string>)[k] = v;
  const d = await getLogs(query);
  const page = d.page;
  const setQuery = (changes: LogQuery): void => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, v);
    }
    if (!('offset' in changes)) next.delete('offset');
    location.hash = `#/logs${next.toString() ? `?${next.toString()}` : ''}`;
  };
  const filter = (name: keyof LogsAnswer['facets'], label: string): HTMLElement =>
    h(
      'label',
      {},
      label,
      select(`log-filter-${name}`, d.facets[name], query[name], 'all', (v) => setQuery({ [name]: v })),
    );
  const search = h('input', {
    id: 'log-search',
    type: 'search',
    value: query.q ?? '',
    placeholder: 'text in the conversation',
  }) as HTMLInputElement;
  search.addEventListener('change', () => setQuery({ q: search.value.trim() }));
  const sortKey = query.sort;
  const dir = query.dir === 'desc' ? 'desc' : 'asc';
  const header = LOG_COLUMNS.map(([key, label, numeric]) =>
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
  const cell = (row: ConversationRow, key: keyof ConversationRow): HTMLElement => {
    if (key === 'id') return h('td', {}, h('a', { href: logHref(row.id) }, row.id));
    if (key === 'outcome') return outcomeCell(row);
    if (key === 'started_at') return h('td', {}, row.started_at.replace('T', ' ').slice(0, 16));
    if (key === 'task') return h('td', { title: row.request }, row.task);
    const v = row[key];
    return h('td', { class: typeof v === 'number' ? 'num' : '' }, typeof v === 'number' ? num(v) : String(v));
  };
  const last = page.offset + page.rows.length;
  show(
    h('h1', {}, `Agent logs (${num(d.conversations)} conversations)`),
    h('p', { class: 'muted', id: 'logs-found' }, `${d.found} under ${d.roots.join(', ')}`),
    d.memory ? h('p', {}, 'Memory dreamt from these logs: ', h('a', { href: '#/logs/memory', id: 'logs-memory-link' }, d.memory)) : null,
    h(
      'div',
      { class: 'filters' },
      h('label', {}, 'search', search),
      filter('format', 'format'),
      filter('outcome', 'outcome'),
      filter('source', 'outcome from'),
      filter('family', 'family'),
      d.memory
        ? h(
            'label',
            {},
            'taught memory',
            select('log-filter-memory', ['yes', 'no'], query.memory, 'all', (v) => setQuery({ memory: v })),
          )
        : null,
      h('button', { id: 'log-filter-clear', onclick: () => (location.hash = '#/logs') }, 'clear'),
    ),
    h(
      'div',
      { class: 'pager' },
      h('span', { id: 'log-count' }, `${num(page.total)} conversations`, page.total > 0 ? ` (showing ${page.offset + 1}–${last})` : ''),
      h(
        'button',
        { id: 'log-prev', disabled: page.offset === 0, onclick: () => setQuery({ offset: String(Math.max(0, page.offset - page.limit)) }) },
        '‹ previous',
      ),
      h(
        'button',
        { id: 'log-next', disabled: last >= page.total, onclick: () => setQuery({ offset: String(page.offset + page.limit) }) },
        'next ›',
      ),
    ),
    h(
      'table',
      { id: 'log-table' },
      h('thead', {}, h('tr', {}, header)),
      h(
        'tbody',
        {},
        page.rows.map((row) =>
          h(
            'tr',
            { 'data-log': row.id },
            LOG_COLUMNS.map(([key]) => cell(row, key)),
          ),
        ),
      ),
    ),
  );
}

function memoryLinkItem(link: MemoryLink, linkConversations: boolean): HTMLElement {
  return h(
    'li',
    { class: `memory-link ${link.status.replace(/ /g, '-')}`, 'data-entry': link.entry },
    h('span', { class: 'pill' }, link.status),
    link.change ? h('span', { class: 'pill' }, `${link.change.kind} #${link.change.n}`) : null,
    ' ',
    link.text,
    h('span', { class: 'muted' }, ` — ${link.file}${link.dream ? `, ${link.dream}` : ''}`),
    linkConversations
      ? h(
          'div',
          { class: 'muted' },
          'from: ',
          link.conversations.flatMap(
            (c): Array<HTMLElement | string> =>
              (link.known ?? []).includes(c)
                ? [h('a', { href: logHref(c), class: 'source-conversation' }, c), ' ']
                : [`${c} (not served) `],
          ),
        )
      : null,
  );
}

/** The tokens a log reports for a conversation, each reply counted once. */
function tokensLine(u: Record<string, number>): string {
  const cache =
    u.cache_read_tokens || u.cache_write_tokens
      ? ` · cache read ${num(u.cache_read_tokens ?? 0)} · cache write ${num(u.cache_write_tokens ?? 0)}`
      : '';
  return `tokens: in ${num(u.input_tokens ?? 0)} · out ${num(u.output_tokens ?? 0)}${cache}`;
}

async function logPage(id: string): Promise<void> {
  setCrumbs(['runs', '#/'], ['logs', '#/logs'], ['conversation', location.hash]);
  const d = await getJson<LogDetail>('/api/log', { id });
  const r = d.row;
  show(
    h('h1', { id: 'log-title' }, r.task !== r.id ? `${r.task} ` : '', h('span', { class: 'muted' }, r.id)),
    h(
      'div',
      { class: 'card', id: 'log-outcome' },
      h(
        'div',
        {},
        h('strong', { class: r.outcome === 'completed' ? 'ok' : r.outcome === 'not completed' ? 'bad' : 'muted' }, r.outcome),
        ` (${OUTCOME_FROM[r.outcome_source] ?? r.outcome_source})`,
        ` · ${num(r.turns)} turns · ${num(r.tool_calls)} tool calls · ${num(r.tool_errors)} tool errors · ${num(r.messages)} messages`,
      ),
      r.usage ? h('div', { id: 'log-tokens' }, tokensLine(r.usage)) : null,
      h('div', {}, `format ${r.format} · file `, h('code', { id: 'log-file' }, r.file), r.family ? ` · family ${r.family}` : ''),
      r.started_at ? h('div', { class: 'muted' }, `started ${r.started_at}`) : null,
    ),
    r.feedback.length > 0
      ? [
          h('h2', {}, 'Feedback'),
          h(
            'ul',
            { id: 'log-feedback' },
            r.feedback.map((f) => h('li', {}, f)),
          ),
        ]
      : null,
    d.memory
      ? [
          h('h2', {}, `Memory from this conversation (${d.memory.length})`),
          d.memory.length === 0
            ? h('p', { class: 'muted' }, 'No memory entry or proposed change cites it.')
            : h(
                'ul',
                { id: 'log-memory' },
                d.memory.map((l) => memoryLinkItem(l, false)),
              ),
        ]
      : null,
    h('h2', {}, 'Transcript'),
    renderTranscript(d.transcript),
  );
}

async function logsMemoryPage(): Promise<void> {
  setCrumbs(['runs', '#/'], ['logs', '#/logs'], ['memory', '#/logs/memory']);
  const d = await getJson<{ source: string; links: MemoryLink[] }>('/api/logs-memory');
  show(
    h('h1', {}, `Memory dreamt from the logs (${d.links.length})`),
    h('p', { class: 'muted' }, d.source),
    h(
      'ul',
      { id: 'logs-memory' },
      d.links.map((l) => memoryLinkItem(l, true)),
    ),
  );
}
