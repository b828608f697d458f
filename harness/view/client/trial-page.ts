// One trial: its outcome (success, score, error, pitfalls, reviewer feedback, checks, the grader's
// verdict), the files it produced (download; a PDF preview of Word and PowerPoint files when the
// server has LibreOffice), and the transcript turn by turn.

function outcomeCard(t: TrialRecord): HTMLElement {
  return h(
    'div',
    { class: 'card', id: 'trial-outcome' },
    h(
      'div',
      {},
      h('strong', { class: t.success ? 'ok' : 'bad' }, t.success ? 'completed' : 'not completed'),
      ` · score ${t.score.toFixed(2)} · ${t.turns} turns · ${t.tool_calls} tool calls · ${num(t.input_tokens)} in / ${num(t.output_tokens)} out tokens`,
      t.cache_read_tokens || t.cache_write_tokens ? ` · cache read ${num(t.cache_read_tokens)} / write ${num(t.cache_write_tokens)}` : '',
      ` · ${usd(t.cost_usd)} · ${num(t.wall_ms)} ms · ${t.model}`,
    ),
    h(
      'div',
      {},
      `suite ${t.suite} · family ${t.family} · error class `,
      h('strong', {}, t.error_class),
      t.error ? h('span', { class: 'bad' }, ` — ${t.error}`) : null,
    ),
    t.pitfalls_hit.length > 0
      ? h(
          'div',
          {},
          'pitfalls hit: ',
          t.pitfalls_hit.map((p) => h('span', { class: 'pill' }, p)),
        )
      : null,
    t.pitfalls_avoided.length > 0
      ? h(
          'div',
          {},
          'pitfalls avoided: ',
          t.pitfalls_avoided.map((p) => h('span', { class: 'pill' }, p)),
        )
      : null,
  );
}

function feedbackSection(t: TrialRecord): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (t.feedback.length > 0)
    out.push(
      h('h2', {}, 'Feedback'),
      h(
        'ul',
        { id: 'feedback' },
        t.feedback.map((f) => h('li', {}, f)),
      ),
    );
  if (t.grader) {
    out.push(
      h(
        'h2',
        {},
        `Grader: ${t.grader.success ? 'pass' : 'fail'} (${t.grader.score.toFixed(2)})${t.grader.failure ? ` — ${t.grader.failure}` : ''}`,
      ),
      h(
        'table',
        {},
        h(
          'tbody',
          {},
          t.grader.criteria.map((c) =>
            h(
              'tr',
              {},
              h('td', { class: c.passed ? 'ok' : 'bad' }, c.passed ? '✓' : '✗'),
              h('td', {}, c.criterion),
              h('td', { class: 'num' }, c.score.toFixed(2)),
              h('td', {}, c.feedback ?? ''),
            ),
          ),
        ),
      ),
    );
  }
  if (t.attempts && t.attempts.length > 0) {
    out.push(
      h('h2', {}, 'Attempts'),
      h(
        'ul',
        {},
        t.attempts.map((a) =>
          h(
            'li',
            {},
            `attempt ${a.attempt}, revision ${a.revision}: ${a.success ? 'success' : 'failure'}, score ${a.score.toFixed(2)}, ${a.turns} turns, ${a.stop}`,
          ),
        ),
      ),
    );
  }
  out.push(
    h('h2', {}, `Checks (${t.checks.filter((c) => c.passed).length}/${t.checks.length} passed)`),
    h(
      'table',
      { id: 'checks' },
      h(
        'tbody',
        {},
        t.checks.map((c) =>
          h('tr', {}, h('td', { class: c.passed ? 'ok' : 'bad' }, c.passed ? '✓' : '✗'), h('td', {}, c.id), h('td', {}, c.detail ?? '')),
        ),
      ),
    ),
  );
  return out;
}

function artifactsSection(runId: string, files: ArtifactFile[]): HTMLElement | null {
  if (files.length === 0) return null;
  const frame = h('div', { id: 'preview' });
  return h(
    'div',
    {},
    h('h2', {}, `Files the trial produced (${files.length})`),
    h(
      'ul',
      { id: 'artifacts' },
      files.map((f) => {
        const download = fileUrl(runId, f.path);
        const preview = f.preview ? fileUrl(runId, f.path, 'preview') : undefined;
        return h(
          'li',
          {},
          download ? h('a', { href: download, download: f.name }, f.name) : f.name,
          h('span', { class: 'muted' }, ` ${num(f.bytes)} bytes `),
          preview
            ? h(
                'button',
                {
                  onclick: () => {
                    clear(frame);
                    frame.appendChild(h('iframe', { class: 'preview', src: preview, title: `preview of ${f.name}` }));
                  },
                },
                'PDF preview',
              )
            : null,
        );
      }),
    ),
    frame,
  );
}

function trialBody(runId: string, d: TrialDetail): HTMLElement[] {
  return [
    outcomeCard(d.record),
    ...feedbackSection(d.record),
    ...[artifactsSection(runId, d.artifacts)].filter((x): x is HTMLElement => x !== null),
    h('h2', {}, 'Transcript'),
    d.transcript ? renderTranscript(d.transcript) : errorBox(d.transcript_error ?? 'no transcript'),
  ];
}

async function trialPage(runId: string, id: string): Promise<void> {
  setCrumbs(['runs', '#/'], [runId, `#/run/${runId}`], ['trial', location.hash]);
  const d = await getJson<TrialDetail>(`/api/run/${runId}/trial`, { id });
  const r = d.record;
  show(
    h('h1', { id: 'trial-title' }, d.id),
    h(
      'p',
      {},
      h(
        'a',
        { href: `#/compare?a=${runId}&b=${runId}&arm=${encodeURIComponent(r.arm)}&rep=${r.replicate}&session=${r.session}&slot=${r.slot}` },
        'side by side with another arm on this slot',
      ),
      ' · ',
      h(
        'a',
        { id: 'memory-read', href: `#/run/${runId}/memory?arm=${encodeURIComponent(r.arm)}&rep=${r.replicate}&session=${r.session - 1}` },
        `the memory it read (${r.arm} r${r.replicate} after session ${r.session - 1})`,
      ),
    ),
    trialBody(runId, d),
  );
}
