// report.html's page script: plain browser JavaScript, no network, no dependencies but the inlined
// chart.js (window.Chart). It reads the JSON embedded in #report-data and draws the summary, the
// charts, the claim verdicts, the memory evolution viewer, the trial table and the transcript viewer.
function dreambenchReportMain(D) {
  'use strict';

  var M = D.model;
  var Z95 = 1.959963984540054;

  // ------------------------------------------------------------------ helpers
  function num(v) {
    if (v === null || v === undefined) return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    return Number(v);
  }
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) return;
        if (k === 'text') node.textContent = v;
        else if (k === 'class') node.className = v;
        else if (k === 'html') node.innerHTML = v;
        else if (k.slice(0, 2) === 'on') node.addEventListener(k.slice(2), v);
        else node.setAttribute(k, v === true ? '' : v);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
    return node;
  }
  function append(node, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) child.forEach(function (c) { append(node, c); });
    else node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  function txt(v) { return typeof v === 'number' ? D.pool[v] : v; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function pct(x, d) { x = num(x); return isFinite(x) ? (x * 100).toFixed(d === undefined ? 1 : d) + '%' : '–'; }
  function fixed(x, d) { x = num(x); if (x === Infinity) return '∞'; return isFinite(x) ? x.toFixed(d) : '–'; }
  function int(x) { x = num(x); return isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–'; }
  function pts(x) { x = num(x); return isFinite(x) ? (x >= 0 ? '+' : '−') + Math.abs(x * 100).toFixed(1) + ' pts' : '–'; }
  function pval(p) { p = num(p); if (!isFinite(p)) return '–'; return p < 0.001 ? '< 0.001' : p.toFixed(3); }
  function usd(x) { x = num(x); return isFinite(x) ? '$' + x.toFixed(x !== 0 && Math.abs(x) < 1 ? 4 : 2) : '–'; }
  function wilson(k, n) {
    if (!n) return { rate: NaN, lo: 0, hi: 1 };
    var p = k / n, z2 = Z95 * Z95, d = 1 + z2 / n, c = (p + z2 / (2 * n)) / d;
    var h = (Z95 / d) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
    return { rate: p, lo: k === 0 ? 0 : Math.max(0, c - h), hi: k === n ? 1 : Math.min(1, c + h) };
  }
  function rateCell(k, n) {
    if (!n) return '–';
    var w = wilson(k, n);
    return pct(w.rate) + ' [' + (w.lo * 100).toFixed(1) + ', ' + (w.hi * 100).toFixed(1) + ']';
  }
  function uniq(list) { var s = {}, out = []; list.forEach(function (x) { if (!s[x]) { s[x] = 1; out.push(x); } }); return out; }
  function table(header, rows, leftCols) {
    leftCols = leftCols || 1;
    return el('div', { class: 'scroll' }, el('table', null,
      el('thead', null, el('tr', null, header.map(function (h, i) { return el('th', { class: i < leftCols ? 'l' : null, text: h }); }))),
      el('tbody', null, rows.map(function (r) {
        return el('tr', null, r.map(function (c, i) { return el('td', { class: i < leftCols ? 'l' : null }, c); }));
      }))));
  }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function heat(v) {
    if (!isFinite(v)) return '#f2f2f2';
    v = Math.max(0, Math.min(1, v));
    var stops = [[0, [255, 255, 255]], [0.5, [240, 150, 80]], [1, [120, 40, 0]]];
    var k = v > 0.5 ? 1 : 0, x0 = stops[k][0], x1 = stops[k + 1][0], c0 = stops[k][1], c1 = stops[k + 1][1], t = (v - x0) / (x1 - x0);
    return 'rgb(' + c0.map(function (a, j) { return Math.round(a + t * (c1[j] - a)); }).join(',') + ')';
  }

  // ------------------------------------------------------------------ data
  var cols = {};
  D.trials.columns.forEach(function (c, i) { cols[c] = i; });
  var TRIALS = D.trials.rows.map(function (r) {
    var o = {};
    D.trials.columns.forEach(function (c, i) { o[c] = r[i]; });
    return o;
  });
  var TRIAL_BY_ID = {};
  TRIALS.forEach(function (t) { TRIAL_BY_ID[t.id] = t; });
  var ARMS = M.arms.map(function (a) { return a.name; });
  var COLOUR = {}, POINT = {}, DASH = {};
  var POINTS = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded'];
  var DASHES = [[], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3], [10, 4], [3, 6]];
  M.arms.forEach(function (a, i) { COLOUR[a.name] = a.colour; POINT[a.name] = POINTS[i % 8]; DASH[a.name] = DASHES[i % 8]; });
  var SUITES = uniq(TRIALS.map(function (t) { return t.suite; })).sort();
  var state = { suite: '', family: '', arms: {}, tab: 'summary', page: 0, search: '', failures: false, memArm: null, memRep: null, memIdx: 0, memMoved: false, memProv: false, timeMeasure: 'turns' };
  ARMS.forEach(function (a) { state.arms[a] = true; });

  function filtered() {
    return TRIALS.filter(function (t) {
      return state.arms[t.arm] && (!state.suite || t.suite === state.suite) && (!state.family || t.family === state.family);
    });
  }
  // A trial's outcome in words: the error classes are the harness's terms, not a reader's.
  var OUTCOME_WORDS = { agent: 'not completed (the agent failed the checks)', infra: 'infrastructure failure (not counted)', budget: 'stopped at its budget' };
  function outcomeText(t) { return t.success ? 'completed' : (OUTCOME_WORDS[t.error_class] || 'not completed'); }
  function counted(list) { return list.filter(function (t) { return t.error_class !== 'infra'; }); }
  function activeArms() { return ARMS.filter(function (a) { return state.arms[a]; }); }
  function sessionsOf(list) { return uniq(list.map(function (t) { return t.session; })).sort(function (a, b) { return a - b; }); }

  // ------------------------------------------------------------------ layout
  var app = document.getElementById('app');
  var run = M.run;
  append(app, el('header', { class: 'top' },
    el('h1', { text: 'dreambench report: ' + run.name }),
    el('div', { class: 'meta', text:
      'model ' + run.model + ' · ' + M.counts.trials + ' trials (' + M.counts.counted + ' counted, ' + M.counts.infra + ' infrastructure failures excluded) · ' +
      ARMS.length + ' arms · ' + M.sessions.length + ' sessions · ' + run.replicates + ' replicate(s) · seed ' + run.seed + ' · status ' + run.status +
      ' · harness ' + run.harness_version + (run.git_sha ? ' (' + run.git_sha.slice(0, 10) + ')' : '') + ' · generated ' + M.generated_at }),
    M.note ? el('div', { class: 'sim-note', id: 'sim-note', text: M.note + ' This holds for every figure and verdict below.' }) : null));

  var famSelect = el('select', { id: 'filter-family', 'aria-label': 'Family' });
  var suiteSelect = el('select', { id: 'filter-suite', 'aria-label': 'Suite' });
  function fillFamilies() {
    var fams = uniq(TRIALS.filter(function (t) { return !state.suite || t.suite === state.suite; }).map(function (t) { return t.family; })).sort();
    clear(famSelect);
    append(famSelect, el('option', { value: '', text: 'all families' }));
    fams.forEach(function (f) { append(famSelect, el('option', { value: f, text: f, selected: f === state.family })); });
    if (fams.indexOf(state.family) < 0) state.family = '';
  }
  append(suiteSelect, el('option', { value: '', text: 'all suites' }));
  SUITES.forEach(function (s) { append(suiteSelect, el('option', { value: s, text: s })); });
  fillFamilies();
  suiteSelect.addEventListener('change', function () { state.suite = suiteSelect.value; fillFamilies(); state.page = 0; refresh(); });
  famSelect.addEventListener('change', function () { state.family = famSelect.value; state.page = 0; refresh(); });
  var armBoxes = el('span', { class: 'arms' }, ARMS.map(function (a) {
    return el('label', null, el('input', { type: 'checkbox', checked: true, 'data-arm': a, onchange: function (e) { state.arms[a] = e.target.checked; state.page = 0; refresh(); } }),
      el('span', { class: 'swatch', style: 'background:' + COLOUR[a] }), a);
  }));
  append(app, el('div', { class: 'bar' },
    el('span', null, el('label', { text: 'Suite ' }), suiteSelect),
    el('span', null, el('label', { text: 'Family ' }), famSelect),
    el('span', null, el('label', { text: 'Arms ' }), armBoxes),
    el('span', { class: 'note', id: 'filter-count' })));

  var TABS = [['summary', 'Summary'], ['charts', 'Charts'], ['claims', 'Claims'], ['memory', 'Memory'], ['trials', 'Trials']];
  var nav = el('nav', { class: 'tabs', role: 'tablist' });
  var main = el('main');
  var sections = {};
  TABS.forEach(function (t) {
    append(nav, el('button', { role: 'tab', id: 'tab-' + t[0], 'aria-selected': t[0] === state.tab ? 'true' : 'false', text: t[1], onclick: function () { showTab(t[0]); } }));
    sections[t[0]] = el('section', { class: 'tab', id: 'section-' + t[0], hidden: t[0] !== state.tab });
    append(main, sections[t[0]]);
  });
  append(app, nav);
  append(app, main);
  var dialog = el('dialog', { id: 'transcript' });
  append(document.body, dialog);

  function showTab(name) {
    state.tab = name;
    TABS.forEach(function (t) {
      document.getElementById('tab-' + t[0]).setAttribute('aria-selected', t[0] === name ? 'true' : 'false');
      sections[t[0]].hidden = t[0] !== name;
    });
    renderTab();
  }

  // ------------------------------------------------------------------ summary
  function renderSummary(list) {
    var s = clear(sections.summary);
    var arms = activeArms();
    var sessions = sessionsOf(list);
    append(s, el('h2', { text: 'Completion rate' }));
    append(s, el('p', { class: 'note', text: 'Share of counted trials completed (the deterministic checker passed), with the Wilson 95% interval in brackets; trials pooled over tasks and replicates. Follows the filters above.' }));
    var rows = arms.map(function (a) {
      var at = counted(list.filter(function (t) { return t.arm === a; }));
      var k = at.filter(function (t) { return t.success; }).length;
      var tokens = at.reduce(function (x, t) { return x + t.tokens; }, 0);
      var cost = at.reduce(function (x, t) { return x + t.cost_usd; }, 0);
      var hits = at.reduce(function (x, t) { return x + t.pitfalls_hit.length; }, 0);
      return [el('span', null, el('span', { class: 'swatch', style: 'background:' + COLOUR[a] }), a), int(at.length), int(k), rateCell(k, at.length),
        fixed(at.reduce(function (x, t) { return x + t.turns; }, 0) / at.length, 1), int(tokens / at.length), usd(cost), fixed(hits / at.length, 2)];
    });
    append(s, el('div', { id: 'summary-table' }, table(['Arm', 'Trials', 'Completed', 'Completion [95% CI]', 'Mean turns', 'Tokens / trial', 'Token cost', 'Pitfalls hit / trial'], rows)));

    append(s, el('h3', { text: 'By session' }));
    append(s, table(['Arm'].concat(sessions.map(function (x) { return 'S' + x; })), arms.map(function (a) {
      return [a].concat(sessions.map(function (x) {
        var g = counted(list.filter(function (t) { return t.arm === a && t.session === x; }));
        return g.length ? pct(g.filter(function (t) { return t.success; }).length / g.length, 0) : '–';
      }));
    })));

    var fams = uniq(list.map(function (t) { return t.family; })).sort();
    if (fams.length > 1) {
      append(s, el('h3', { text: 'By family' }));
      append(s, table(['Family'].concat(arms), fams.map(function (f) {
        return [f].concat(arms.map(function (a) {
          var g = counted(list.filter(function (t) { return t.arm === a && t.family === f; }));
          return rateCell(g.filter(function (t) { return t.success; }).length, g.length);
        }));
      })));
    }

    append(s, el('h2', { text: 'Comparisons with ' + (M.comparisons[0] ? M.comparisons[0].baseline : 'the first arm') }));
    append(s, el('p', { class: 'note', text: 'Over the whole run (the filters do not apply): paired on (task, replicate, session, slot); difference and ratio with a 95% bootstrap interval resampling tasks within their family, sessions as post-strata, widened for memory shared within a replicate and family (' + M.bootstrap.interval + ' percentile, B = ' + M.bootstrap.B + ', seeded); exact McNemar p on the paired outcomes; Holm-adjusted across these comparisons; MDE = smallest difference detectable with 80% power at α = 0.05 for this comparison\'s size.' }));
    if (M.comparisons.length === 0) append(s, el('p', { text: 'One arm only: nothing to compare.' }));
    else append(s, el('div', { id: 'comparisons' }, table(['Arm', 'Pairs', 'Tasks', 'Baseline', 'Arm rate', 'Difference [95% CI]', 'Ratio [95% CI]', 'McNemar p', 'Holm p', 'MDE'], M.comparisons.map(function (c) {
      return [c.arm, int(c.n_pairs), int(c.n_clusters), pct(c.rate_baseline), pct(c.rate_arm),
        pts(c.difference.estimate) + ' [' + pts(c.difference.lo) + ', ' + pts(c.difference.hi) + ']',
        fixed(c.ratio.estimate, 2) + 'x [' + fixed(c.ratio.lo, 2) + ', ' + fixed(c.ratio.hi, 2) + ']',
        pval(c.mcnemar.p), pval(c.p_holm), isFinite(num(c.mde.mde)) ? '±' + (num(c.mde.mde) * 100).toFixed(1) + ' pts' : 'not reachable'];
    }))));
    M.comparisons.forEach(function (c) {
      (c.difference.notes || []).forEach(function (n) { append(s, el('p', { class: 'note interval-note', text: c.arm + ': ' + n + '.' })); });
    });

    append(s, el('h2', { text: 'Learning curves' }));
    append(s, el('p', { class: 'note', text: 'Slope: change in completion rate per session (least squares over trials). AUC: mean completion rate over the session span (trapezoids). 95% intervals from a bootstrap resampling tasks. Whole run.' }));
    append(s, table(['Arm', 'First session', 'Last session', 'Slope per session [95% CI]', 'AUC [95% CI]'], M.curves.map(function (c) {
      var first = c.points[0], last = c.points[c.points.length - 1];
      return [c.arm, first ? pct(first.rate) : '–', last ? pct(last.rate) : '–',
        pts(c.slope.estimate) + ' [' + pts(c.slope.lo) + ', ' + pts(c.slope.hi) + ']',
        pct(c.auc.estimate) + ' [' + pct(c.auc.lo) + ', ' + pct(c.auc.hi) + ']'];
    })));

    append(s, el('h2', { text: 'Cost' }));
    append(s, table(['Arm', 'Trials', 'Trial cost', 'Arm cost (after tasks)', 'Consolidation cost', 'Consolidation tokens', 'Total', 'Per completion'], M.cost.map(function (c) {
      return [c.arm, int(c.trials), usd(c.trial_cost_usd), usd(c.arm_cost_usd), usd(c.consolidation_cost_usd), int(c.consolidation_tokens), usd(c.total_cost_usd), usd(c.cost_per_completion_usd)];
    })));
    // Managed arms: token cost (what every arm is compared on) and runtime cost apart, with their sources.
    if (M.runtime_cost && M.runtime_cost.length) {
      append(s, el('h3', { text: 'Token cost and runtime cost' }));
      append(s, el('p', { class: 'note', text: 'Arms are compared on token cost: every arm\'s tokens priced by the same ' + M.runtime_cost[0].token_cost_source + '. The runtime cost (a managed session bills its container\'s active time) is what only these arms pay, kept apart; the list cost is what the provider itself reported (tokens and runtime together), a cross-check. Whole run.' }));
      append(s, el('div', { id: 'runtime-cost' }, table(['Arm', 'Trials', 'Token cost', 'Runtime cost', 'Runtime cost from (trials)', 'List cost (provider)', 'List − (token + runtime)', 'Dream runtime'], M.runtime_cost.map(function (r) {
        var sources = Object.keys(r.runtime_cost_sources).map(function (k) { return k + ' (' + r.runtime_cost_sources[k] + ')'; }).join('; ');
        return [r.arm, int(r.trials), usd(r.token_cost_usd), usd(r.runtime_cost_usd), sources,
          r.list_cost_usd === null ? 'not reported' : usd(r.list_cost_usd) + ' (' + r.list_cost_trials + ' trials)',
          r.list_cost_gap_usd === null ? '–' : usd(r.list_cost_gap_usd), !r.dreams ? '–' : r.dreams_runtime_reported ? usd(r.dream_runtime_cost_usd) + ' (' + r.dreams_runtime_reported + ' of ' + r.dreams + ' dreams)' : 'not reported (' + r.dreams + ' dreams)'];
      }), 1)));
    }
    if (D.charts.length) {
      append(s, el('p', { class: 'note' }, 'Figures as PNG beside this file: ', D.charts.map(function (c) { return el('a', { href: 'charts/' + c.file, text: c.file, style: 'margin-right:10px' }); })));
    }
  }

  // ------------------------------------------------------------------ charts
  var charts = [];
  function destroyCharts() { charts.forEach(function (c) { c.destroy(); }); charts = []; }
  function chartBox(id, title, tall) {
    var canvas = el('canvas', { id: id, role: 'img', 'aria-label': title });
    return { box: el('div', { class: 'chart-box' }, el('h3', { text: title }), el('div', { class: 'chart-wrap' + (tall ? ' tall' : '') }, canvas)), canvas: canvas };
  }
  function lineSet(arm, data, extra) {
    var ds = { label: arm, data: data, borderColor: COLOUR[arm], backgroundColor: COLOUR[arm], borderDash: DASH[arm], pointStyle: POINT[arm], pointRadius: 4, borderWidth: 2, spanGaps: true };
    if (extra) Object.keys(extra).forEach(function (k) { ds[k] = extra[k]; });
    return ds;
  }
  var baseOptions = function (yTitle, yExtra) {
    var y = { beginAtZero: true, title: { display: true, text: yTitle } };
    if (yExtra) Object.keys(yExtra).forEach(function (k) { y[k] = yExtra[k]; });
    return {
      animation: false, responsive: true, maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, filter: function (item) { return item.text.indexOf('interval') < 0; } } } },
      scales: { x: { type: 'linear', title: { display: true, text: 'Session' }, ticks: { stepSize: 1, precision: 0 } }, y: y },
    };
  };
  function renderCharts(list) {
    destroyCharts();
    var s = clear(sections.charts);
    var arms = activeArms();
    var sessions = sessionsOf(list);
    if (M.note) append(s, el('p', { class: 'note', text: 'Sim run: these charts describe the harness, not a model.' }));
    var grid = el('div', { class: 'grid' });
    append(s, grid);

    // Completion with Wilson bands.
    var c1 = chartBox('chart-completion', 'Completion rate per session (shaded: Wilson 95% interval)', true);
    append(grid, c1.box);
    var ds = [];
    arms.forEach(function (a) {
      var pts_ = sessions.map(function (x) {
        var g = counted(list.filter(function (t) { return t.arm === a && t.session === x; }));
        var k = g.filter(function (t) { return t.success; }).length;
        var w = wilson(k, g.length);
        return { x: x, n: g.length, rate: w.rate, lo: w.lo, hi: w.hi };
      }).filter(function (p) { return p.n > 0; });
      ds.push({ label: a + ' interval hi', data: pts_.map(function (p) { return { x: p.x, y: p.hi * 100 }; }), borderColor: 'transparent', pointRadius: 0, fill: false });
      ds.push({ label: a + ' interval', data: pts_.map(function (p) { return { x: p.x, y: p.lo * 100 }; }), borderColor: 'transparent', backgroundColor: alpha(COLOUR[a], 0.14), pointRadius: 0, fill: '-1' });
      ds.push(lineSet(a, pts_.map(function (p) { return { x: p.x, y: p.rate * 100, n: p.n }; })));
    });
    var o1 = baseOptions('Completion rate (%)', { max: 100 });
    o1.plugins.tooltip = { filter: function (item) { return item.dataset.label.indexOf('interval') < 0; }, callbacks: { label: function (ctx) { return ctx.dataset.label + ': ' + ctx.parsed.y.toFixed(1) + '% (n = ' + ctx.raw.n + ')'; } } };
    charts.push(new Chart(c1.canvas, { type: 'line', data: { datasets: ds }, options: o1 }));

    // Time to completion.
    var measures = { turns: ['Mean turns', function (t) { return t.turns; }], tokens: ['Mean tokens', function (t) { return t.tokens; }], wall: ['Mean wall time (s)', function (t) { return t.wall_ms / 1000; }] };
    var sel = el('select', { id: 'time-measure', 'aria-label': 'Measure', onchange: function (e) { state.timeMeasure = e.target.value; renderTab(); } },
      Object.keys(measures).map(function (k) { return el('option', { value: k, text: k, selected: k === state.timeMeasure }); }));
    var c2 = chartBox('chart-time', 'Time to completion per session (completed trials)');
    c2.box.insertBefore(el('div', null, el('label', { class: 'note', text: 'measure ' }), sel), c2.box.children[1]);
    append(grid, c2.box);
    var m = measures[state.timeMeasure];
    charts.push(new Chart(c2.canvas, { type: 'line', data: { datasets: arms.map(function (a) {
      return lineSet(a, sessions.map(function (x) {
        var g = list.filter(function (t) { return t.arm === a && t.session === x && t.success; });
        return { x: x, y: g.length ? g.reduce(function (v, t) { return v + m[1](t); }, 0) / g.length : null };
      }));
    }) }, options: baseOptions(m[0] + ' per completed trial') }));

    // Tokens and cost per arm.
    var c3 = chartBox('chart-tokens', 'Tokens per trial and cost per arm');
    append(grid, c3.box);
    charts.push(new Chart(c3.canvas, { type: 'bar', data: {
      labels: arms,
      datasets: [
        { label: 'tokens per trial', data: arms.map(function (a) { var g = list.filter(function (t) { return t.arm === a; }); return g.length ? g.reduce(function (v, t) { return v + t.tokens; }, 0) / g.length : 0; }), backgroundColor: arms.map(function (a) { return COLOUR[a]; }), yAxisID: 'y' },
        { label: 'cost (USD, trials)', data: arms.map(function (a) { return list.filter(function (t) { return t.arm === a; }).reduce(function (v, t) { return v + t.cost_usd; }, 0); }), backgroundColor: arms.map(function (a) { return alpha(COLOUR[a], 0.35); }), borderColor: arms.map(function (a) { return COLOUR[a]; }), borderWidth: 1, yAxisID: 'y2' },
      ] }, options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } },
      scales: { y: { beginAtZero: true, title: { display: true, text: 'Tokens per trial' } }, y2: { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'Cost (USD)' } } } } }));

    // Memory size (per arm; suite and family filters do not apply to memory).
    var snaps = D.memory.snapshots.filter(function (x) { return state.arms[x.arm]; });
    var keeping = arms.filter(function (a) { return snaps.some(function (x) { return x.arm === a && (x.entries > 0 || x.tokens > 0); }); });
    if (keeping.length) {
      var c4 = chartBox('chart-memory', 'Memory entries after each session (mean over replicates; arms filter only)');
      append(grid, c4.box);
      charts.push(new Chart(c4.canvas, { type: 'line', data: { datasets: keeping.map(function (a) {
        var ss = uniq(snaps.filter(function (x) { return x.arm === a; }).map(function (x) { return x.session; })).sort(function (p, q) { return p - q; });
        return lineSet(a, ss.map(function (x) {
          var g = snaps.filter(function (y) { return y.arm === a && y.session === x; });
          return { x: x, y: g.reduce(function (v, y) { return v + y.entries; }, 0) / g.length };
        }));
      }) }, options: baseOptions('Entries') }));
    }

    // Grader agreement.
    var graded = counted(list).filter(function (t) { return t.grader !== null && t.grader !== undefined; });
    if (graded.length) {
      var c5 = chartBox('chart-grader', 'Grader verdict vs deterministic checker');
      append(grid, c5.box);
      var gArms = arms.filter(function (a) { return graded.some(function (t) { return t.arm === a; }); });
      var part = function (label, f, colour) {
        return { label: label, backgroundColor: colour, stack: 'g', data: gArms.map(function (a) { var g = graded.filter(function (t) { return t.arm === a; }); return 100 * g.filter(f).length / g.length; }) };
      };
      charts.push(new Chart(c5.canvas, { type: 'bar', data: { labels: gArms, datasets: [
        part('both pass', function (t) { return t.grader && t.success; }, '#009E73'),
        part('both fail', function (t) { return !t.grader && !t.success; }, '#56B4E9'),
        part('grader pass, checker fail', function (t) { return t.grader && !t.success; }, '#D55E00'),
        part('grader fail, checker pass', function (t) { return !t.grader && t.success; }, '#E69F00'),
      ] }, options: { indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } }, scales: { x: { stacked: true, max: 100, title: { display: true, text: 'Share of graded trials (%)' } }, y: { stacked: true } } } }));
    }

    // Pitfall heat map as a table.
    append(s, el('h2', { text: 'Pitfalls hit per session' }));
    append(s, el('p', { class: 'note', text: 'Cell: trials that hit the pitfall / trials exposed to it (hit or avoided), in that arm and session; the number is the hits. Grey: not met.' }));
    var ids = uniq([].concat.apply([], list.map(function (t) { return t.pitfalls_hit.concat(t.pitfalls_avoided); }))).sort();
    if (!ids.length) append(s, el('p', { text: 'No pitfall was met in the filtered trials.' }));
    arms.forEach(function (a) {
      var at = counted(list.filter(function (t) { return t.arm === a; }));
      if (!at.length || !ids.length) return;
      var ss = sessionsOf(at);
      append(s, el('h3', null, el('span', { class: 'swatch', style: 'background:' + COLOUR[a] }), a));
      append(s, el('div', { class: 'scroll' }, el('table', { class: 'heat' },
        el('thead', null, el('tr', null, el('th', { class: 'l', text: 'pitfall' }), ss.map(function (x) { return el('th', { text: 'S' + x }); }))),
        el('tbody', null, ids.map(function (id) {
          return el('tr', null, el('th', { class: 'l', text: id, title: (M.pitfalls.descriptions || {})[id] || '' }), ss.map(function (x) {
            var g = at.filter(function (t) { return t.session === x; });
            var hit = g.filter(function (t) { return t.pitfalls_hit.indexOf(id) >= 0; }).length;
            var exp = g.filter(function (t) { return t.pitfalls_hit.indexOf(id) >= 0 || t.pitfalls_avoided.indexOf(id) >= 0; }).length;
            var v = exp ? hit / exp : NaN;
            return el('td', { style: 'background:' + heat(v) + ';color:' + (v > 0.55 ? '#fff' : '#111'), title: exp ? hit + ' / ' + exp : 'not met', text: hit ? String(hit) : '' });
          }));
        })))));
    });
  }

  // ------------------------------------------------------------------ claims
  function renderClaims() {
    var s = clear(sections.claims);
    append(s, el('h2', { text: 'Claims' }));
    append(s, el('p', { class: 'note', text: 'Each claim is a metric over this run (claims/*.yaml). Measured: 95% interval from a paired bootstrap resampling tasks. Supported: the interval excludes no effect and is consistent with the claimed value. Not supported: the interval lies wholly short of the claimed value. Inconclusive: the interval holds both; the sample size that would detect the claimed effect with 80% power is given. Whole run: the filters do not apply.' }));
    if (M.note) append(s, el('p', { class: 'sim-note', text: 'Sim run: every verdict here describes the harness, not a model.' }));
    if (!M.claims.length) { append(s, el('p', { text: 'No claims were checked.' })); return; }
    var level = function (c, x) {
      x = num(x);
      if (!isFinite(x)) return '–';
      if (c.metric !== 'time_change') return pct(x);
      if (c.scope.indexOf('wall_ms') >= 0) return (x / 1000).toFixed(2) + ' s';
      return fixed(x, 1);
    };
    var mf = function (metric, x) {
      x = num(x);
      if (metric === 'rate_ratio') return x === Infinity ? '∞' : fixed(x, 2) + 'x';
      if (metric === 'time_change') return isFinite(x) ? (x >= 0 ? '+' : '−') + Math.abs(x * 100).toFixed(1) + '%' : '–';
      return pts(x);
    };
    append(s, el('div', { id: 'claims-table' }, table(['Claim', 'Comparison and scope', 'Claimed', 'Measured [95% CI]', 'Verdict', 'Why'], M.claims.map(function (c) {
      var m = c.measured;
      return [
        el('div', null, el('strong', { text: c.title }), el('div', { class: 'note', text: c.id + ' · ' + c.source })),
        el('div', null, c.treatment + ' vs ' + c.baseline + ' · ' + c.metric, el('div', { class: 'note', text: c.scope })),
        c.claimed_text,
        m ? el('div', null, mf(c.metric, m.estimate) + ' [' + mf(c.metric, m.lo) + ', ' + mf(c.metric, m.hi) + ']',
          el('div', { class: 'note', text: level(c, m.baseline_value) + ' → ' + level(c, m.treatment_value) }),
          el('div', { class: 'note', text: m.n + ' ' + m.unit + (m.unit === 'tasks' ? '' : ', ' + m.n_clusters + ' tasks') })) : '–',
        el('div', null, el('span', { class: 'badge ' + c.verdict, text: c.verdict_label }), c.harness_only ? el('div', { class: 'note', text: 'describes the harness, not a model' }) : null),
        el('div', null, c.reason, c.sample_size ? el('div', { class: 'note', text: 'To decide: ' + (isFinite(num(c.sample_size.n)) ? '≈ ' + int(c.sample_size.n) + ' ' + c.sample_size.unit + (c.sample_size.tasks ? ' over ≈ ' + int(c.sample_size.tasks) + ' tasks' : '') + ' (this run: ' + int(c.sample_size.n_now) + ')' : 'no sample size detects it at the measured spread') + '. ' + c.sample_size.method }) : null),
      ];
    }), 6)));
  }

  // ------------------------------------------------------------------ memory viewer
  var MEM = D.memory;
  function memArms() { return ARMS.filter(function (a) { return MEM.snapshots.some(function (x) { return x.arm === a; }); }); }
  function memSeries() {
    return MEM.snapshots.filter(function (x) { return x.arm === state.memArm && x.replicate === state.memRep; }).sort(function (a, b) { return a.session - b.session; });
  }
  function trialLink(id) {
    return el('a', { href: '#', class: 'trial-link', 'data-trial': id, text: id, onclick: function (e) { e.preventDefault(); openTranscript(id); } });
  }
  function renderMemory() {
    var s = clear(sections.memory);
    append(s, el('h2', { text: 'Memory evolution' }));
    var arms = memArms();
    if (!arms.length) { append(s, el('p', { text: 'No memory snapshots in this run.' })); return; }
    if (arms.indexOf(state.memArm) < 0) {
      // Start on the first arm whose memory is not empty (the control usually keeps none).
      var withText = arms.filter(function (a) { return MEM.snapshots.some(function (x) { return x.arm === a && Object.keys(x.files).length > 0; }); });
      state.memArm = withText[0] || arms[0];
      state.memRep = null;
    }
    var reps = uniq(MEM.snapshots.filter(function (x) { return x.arm === state.memArm; }).map(function (x) { return x.replicate; })).sort(function (a, b) { return a - b; });
    if (reps.indexOf(state.memRep) < 0) { state.memRep = reps[0]; state.memIdx = 0; }
    var series = memSeries();
    // Open on the first snapshot that holds something, not on an empty "before session 1".
    if (state.memIdx === 0 && !state.memMoved) {
      var first = series.findIndex(function (x) { return x.entries > 0; });
      if (first > 0) state.memIdx = first;
    }
    if (state.memIdx >= series.length) state.memIdx = series.length - 1;
    if (state.memIdx < 0) state.memIdx = 0;
    var snap = series[state.memIdx];
    var prev = series[state.memIdx - 1];
    append(s, el('p', { class: 'note', text: 'The memory after each session, as the next session reads it, and the consolidation (dream) that produced it. Added lines are highlighted; removed lines are listed below each file. Evidence links open the transcript.' + (MEM.note ? ' ' + MEM.note : '') }));
    var armSel = el('select', { id: 'mem-arm', 'aria-label': 'Arm', onchange: function (e) { state.memArm = e.target.value; state.memRep = null; state.memIdx = 0; state.memMoved = false; renderMemory(); } },
      arms.map(function (a) { return el('option', { value: a, text: a, selected: a === state.memArm }); }));
    var repSel = el('select', { id: 'mem-rep', 'aria-label': 'Replicate', onchange: function (e) { state.memRep = Number(e.target.value); state.memIdx = 0; state.memMoved = false; renderMemory(); } },
      reps.map(function (r) { return el('option', { value: r, text: 'replicate ' + r, selected: r === state.memRep }); }));
    var slider = el('input', { type: 'range', id: 'mem-slider', min: 0, max: series.length - 1, value: state.memIdx, 'aria-label': 'Session', oninput: function (e) { state.memIdx = Number(e.target.value); state.memMoved = true; renderMemory(); } });
    append(s, el('div', { class: 'mem-controls' },
      el('label', null, 'Arm ', armSel), el('label', null, 'Replicate ', repSel),
      el('button', { class: 'small', id: 'mem-prev', text: '◀ previous', disabled: state.memIdx === 0, onclick: function () { state.memIdx--; state.memMoved = true; renderMemory(); } }),
      slider,
      el('button', { class: 'small', id: 'mem-next', text: 'next ▶', disabled: state.memIdx >= series.length - 1, onclick: function () { state.memIdx++; state.memMoved = true; renderMemory(); } }),
      el('strong', { id: 'mem-session', text: (snap.session === 0 ? 'initial memory, before session 1' : 'after session ' + snap.session) + ' (' + (state.memIdx + 1) + ' of ' + series.length + ')' }),
      el('span', { class: 'note', text: snap.entries + ' entries · ≈' + snap.tokens + ' tokens' + (prev ? ' (' + (snap.entries - prev.entries >= 0 ? '+' : '') + (snap.entries - prev.entries) + ' entries)' : '') })));

    var left = el('div', { id: 'mem-files' });
    var right = el('div', { id: 'mem-dream' });
    append(s, el('div', { class: 'mem-layout' }, left, right));
    var paths = Object.keys(snap.files).sort();
    if (!paths.length) append(left, el('p', { text: 'The memory is empty after this session.' }));
    // Diff by entry, as `dreambench memory diff` does: an entry's provenance comment (which trials
    // support it) changes whenever it is confirmed, and is not a change of what the agent reads. It
    // is hidden unless asked for, and never counts as an added or removed line.
    append(left, el('label', { class: 'note' }, el('input', { type: 'checkbox', id: 'mem-provenance', checked: state.memProv, onchange: function (e) { state.memProv = e.target.checked; renderMemory(); } }), ' show provenance comments'));
    var bare = function (i) { return (MEM.lines[i] || '').replace(/\s*<!--[\s\S]*?-->/g, ''); };
    var shown = function (i) { return state.memProv ? MEM.lines[i] || ' ' : bare(i) || ' '; };
    var visible = function (i) { return state.memProv || bare(i).trim() !== '' || (MEM.lines[i] || '').trim() === ''; };
    paths.forEach(function (p) {
      var ids = snap.files[p].filter(visible);
      var before = (prev && prev.files[p] ? prev.files[p] : []).filter(visible);
      var had = {}; before.forEach(function (i) { had[bare(i)] = (had[bare(i)] || 0) + 1; });
      var has = {}; ids.forEach(function (i) { has[bare(i)] = (has[bare(i)] || 0) + 1; });
      var pre = el('pre', { class: 'memory' });
      var seen = {};
      ids.forEach(function (i) {
        var k = bare(i);
        seen[k] = (seen[k] || 0) + 1;
        var isNew = prev !== undefined && seen[k] > (had[k] || 0);
        append(pre, el('span', { class: isNew ? 'added line' : 'line', text: shown(i) }));
      });
      append(left, el('h3', { text: p }));
      append(left, pre);
      var removed = before.filter(function (i) { var k = bare(i); if (has[k]) { has[k]--; return false; } return k.trim() !== ''; });
      if (removed.length) append(left, el('div', null, el('div', { class: 'note', text: 'Removed since the previous session:' }), removed.map(function (i) { return el('span', { class: 'removed', text: shown(i) }); })));
    });
    if (prev) Object.keys(prev.files).filter(function (p) { return !snap.files[p]; }).forEach(function (p) { append(left, el('p', { class: 'note', text: 'File removed: ' + p })); });

    var dream = MEM.dreams.filter(function (d) { return d.arm === state.memArm && d.replicate === state.memRep && d.session === snap.session; })[0];
    append(right, el('h3', { text: dream ? 'Dream after session ' + snap.session : 'Consolidation after session ' + snap.session }));
    if (!dream) {
      append(right, el('p', { class: 'note', text: 'No dream changeset for this session (this arm writes none, or it did not dream here). The lines added on the left are what its consolidation wrote.' }));
      return;
    }
    var cs = dream.changeset;
    append(right, el('div', { class: 'kv' },
      el('div', { text: 'status' }), el('div', { text: cs.status + ' (review: ' + cs.review_mode + ')' }),
      el('div', { text: 'replayed' }), el('div', { text: (cs.replay ? cs.replay.trials + ' trials from sessions ' + (cs.replay.sessions || []).join(', ') : '–') }),
      el('div', { text: 'analysis' }), el('div', { text: cs.analysis ? cs.analysis.mode + ', ' + cs.analysis.findings + ' findings' + (cs.analysis.error ? ' (error: ' + cs.analysis.error + ')' : '') : '–' }),
      el('div', { text: 'usage' }), el('div', { text: cs.usage ? int(cs.usage.input_tokens + cs.usage.output_tokens) + ' tokens, ' + usd(cs.usage.cost_usd) + ', ' + cs.usage.calls + ' call(s)' : '–' }),
      el('div', { text: 'memory tokens' }), el('div', { text: cs.memory_tokens ? cs.memory_tokens.before + ' → ' + (cs.memory_tokens.after === undefined ? '?' : cs.memory_tokens.after) + (cs.memory_tokens.cap ? ' (cap ' + cs.memory_tokens.cap + ')' : '') : '–' })));
    append(right, el('h3', { text: 'Changes (' + cs.changes.length + ')' }));
    if (!cs.changes.length) append(right, el('p', { class: 'note', text: 'No changes.' }));
    cs.changes.forEach(function (c) {
      append(right, el('div', { class: 'change ' + c.kind, 'data-change': c.id },
        el('div', null, el('strong', { text: '#' + c.n + ' ' + c.kind.toUpperCase() + ' ' }), (c.from_file && c.from_file !== c.file ? c.from_file + ' → ' : '') + c.file + ' ',
          el('span', { class: 'note', text: '[' + c.id + ']' + (c.category ? ' ' + c.category : '') + ' · ' + c.status + (c.review ? ' by ' + c.review.by + (c.review.rule ? ' (' + c.review.rule + ')' : '') : '') })),
        c.before !== undefined && c.kind !== 'add' ? el('div', { class: 'before', text: c.before }) : null,
        c.after !== undefined && c.kind !== 'delete' ? el('div', { class: 'after', text: c.after }) : null,
        el('div', { class: 'meta', text: 'reason: ' + c.reason }),
        c.evidence && c.evidence.length ? el('div', { class: 'meta' }, 'evidence: ', c.evidence.map(trialLink)) : null));
    });
    if (cs.confirmations && cs.confirmations.length) append(right, el('p', { class: 'note', text: cs.confirmations.length + ' entries confirmed or used (provenance only).' }));
    if (cs.dropped_findings && cs.dropped_findings.length) {
      append(right, el('h3', { text: 'Findings not used (' + cs.dropped_findings.length + ')' }));
      cs.dropped_findings.forEach(function (f) { append(right, el('div', { class: 'change' }, el('div', { text: f.text }), el('div', { class: 'meta', text: 'why not: ' + f.reason }), f.evidence && f.evidence.length ? el('div', { class: 'meta' }, 'evidence: ', f.evidence.map(trialLink)) : null)); });
    }
  }

  // ------------------------------------------------------------------ trials and transcripts
  var PAGE = 100;
  function renderTrials(list) {
    var s = clear(sections.trials);
    append(s, el('h2', { text: 'Trials' }));
    var pol = D.transcript_policy;
    append(s, el('p', { class: 'note', id: 'transcript-policy', text: 'Transcripts embedded in this file: ' + pol.embedded + ' of ' + pol.total + ' trials (' + pol.rule + '). Long texts are cut and tool definitions left out; every other transcript opens from its file in the run directory (transcripts/...).' }));
    var q = state.search.toLowerCase();
    var rows = list.filter(function (t) { return (!state.failures || !t.success) && (!q || t.id.toLowerCase().indexOf(q) >= 0); });
    var search = el('input', { type: 'search', id: 'trial-search', placeholder: 'filter by trial id or task', value: state.search, oninput: function (e) { state.search = e.target.value; state.page = 0; renderTrials(filtered()); var x = document.getElementById('trial-search'); x.focus(); x.setSelectionRange(x.value.length, x.value.length); } });
    var fail = el('label', null, el('input', { type: 'checkbox', id: 'trial-failures', checked: state.failures, onchange: function (e) { state.failures = e.target.checked; state.page = 0; renderTrials(filtered()); } }), ' failures only');
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    append(s, el('div', { class: 'pager' }, search, fail,
      el('button', { class: 'small', text: '◀', disabled: state.page === 0, onclick: function () { state.page--; renderTrials(filtered()); } }),
      el('span', { id: 'trial-count', text: rows.length + ' trials · page ' + (state.page + 1) + ' of ' + pages }),
      el('button', { class: 'small', text: '▶', disabled: state.page >= pages - 1, onclick: function () { state.page++; renderTrials(filtered()); } })));
    var pageRows = rows.slice(state.page * PAGE, (state.page + 1) * PAGE);
    append(s, el('div', { class: 'scroll' }, el('table', { id: 'trial-table' },
      el('thead', null, el('tr', null, ['Trial', 'Arm', 'Rep', 'Session', 'Task', 'Family', 'Outcome', 'Score', 'Turns', 'Tokens', 'Wall (s)', 'Pitfalls hit', 'Transcript'].map(function (h, i) { return el('th', { class: i === 0 || i === 4 || i === 5 || i === 11 ? 'l' : null, text: h }); }))),
      el('tbody', null, pageRows.map(function (t) {
        return el('tr', { class: 'clickable', 'data-trial': t.id, onclick: function () { openTranscript(t.id); } },
          el('td', { class: 'l', style: 'font-family:var(--mono);font-size:12px', text: t.id }), el('td', { text: t.arm }), el('td', { text: t.replicate }), el('td', { text: t.session }),
          el('td', { class: 'l', text: t.task }), el('td', { class: 'l', text: t.family }),
          el('td', { class: t.success ? 'ok' : 'bad', text: outcomeText(t) }), el('td', { text: fixed(t.score, 2) }), el('td', { text: t.turns }),
          el('td', { text: int(t.tokens) }), el('td', { text: fixed(t.wall_ms / 1000, 1) }), el('td', { class: 'l', text: t.pitfalls_hit.join(', ') }),
          el('td', { text: D.transcripts[t.id] ? 'embedded' : 'file' }));
      })))));
  }

  function openTranscript(id) {
    var t = TRIAL_BY_ID[id];
    var tr = D.transcripts[id];
    clear(dialog);
    var head = el('div', { class: 'dlg-head' }, el('h2', { text: id }), el('button', { class: 'small', id: 'transcript-close', text: 'close', onclick: function () { dialog.close(); } }));
    var body = el('div', { class: 'dlg-body', id: 'transcript-body' });
    append(dialog, head);
    append(dialog, body);
    if (!t) {
      append(body, el('p', { text: 'Trial ' + id + ' is not in this run\'s records.' }));
    } else {
      append(body, el('div', { class: 'kv' },
        el('div', { text: 'arm / replicate / session / slot' }), el('div', { text: t.arm + ' / ' + t.replicate + ' / ' + t.session + ' / ' + t.slot }),
        el('div', { text: 'task' }), el('div', { text: t.task + ' (' + t.suite + ', ' + t.family + ')' }),
        el('div', { text: 'outcome' }), el('div', { class: t.success ? 'ok' : 'bad', text: outcomeText(t) + ', score ' + fixed(t.score, 2) }),
        el('div', { text: 'effort' }), el('div', { text: t.turns + ' turns, ' + t.tool_calls + ' tool calls, ' + int(t.tokens) + ' tokens, ' + usd(t.cost_usd) + ', ' + fixed(t.wall_ms / 1000, 1) + ' s' }),
        el('div', { text: 'pitfalls hit' }), el('div', { text: t.pitfalls_hit.join(', ') || 'none' }),
        el('div', { text: 'pitfalls avoided' }), el('div', { text: t.pitfalls_avoided.join(', ') || 'none' }),
        t.grader !== null && t.grader !== undefined ? el('div', { text: 'grader verdict' }) : null, t.grader !== null && t.grader !== undefined ? el('div', { text: t.grader ? 'pass' : 'fail' }) : null,
        t.artifacts ? el('div', { text: 'artifacts' }) : null, t.artifacts ? el('div', null, el('a', { href: '../' + t.artifacts + '/', text: t.artifacts + '/' })) : null));
      if (!tr) {
        append(body, el('p', { class: 'note' }, 'This transcript is not embedded in the report (see the note on the Trials tab). Open it from the run directory: ',
          el('a', { href: '../' + t.transcript, text: t.transcript }), '.'));
      } else {
        if (tr.outcome && tr.outcome.feedback && tr.outcome.feedback.length) append(body, el('div', null, el('h3', { text: 'Feedback' }), el('ul', null, tr.outcome.feedback.map(function (f) { return el('li', { text: f }); }))));
        if (tr.checks && tr.checks.length) {
          var passed = tr.checks.filter(function (c) { return c.passed; }).length;
          append(body, el('details', { id: 'transcript-checks' }, el('summary', { text: 'Checker: ' + passed + ' of ' + tr.checks.length + ' checks passed' }),
            el('ul', null, tr.checks.map(function (c) { return el('li', { class: c.passed ? 'ok' : 'bad', text: c.id + ': ' + (c.passed ? 'passed' : 'failed') + (c.detail ? ' — ' + c.detail : '') }); }))));
        }
        if (tr.error) append(body, el('p', { class: 'bad', text: 'error: ' + tr.error }));
        append(body, el('h3', { text: 'Transcript (' + tr.messages.length + ' messages, ' + tr.turns + ' model turns' + (tr.tools.length ? '; tools: ' + tr.tools.join(', ') : '') + ')' }));
        tr.system.forEach(function (b, i) {
          append(body, el('details', { open: b.memory ? true : null }, el('summary', { text: b.memory ? 'System: memory given to the agent' : 'System prompt' + (tr.system.length > 1 ? ' ' + (i + 1) : '') }), el('pre', { class: 'code', text: txt(b.text) })));
        });
        tr.messages.forEach(function (m) {
          append(body, el('div', { class: 'msg ' + m.role }, el('div', { class: 'role', text: m.role }), m.content.map(function (b) {
            if (b.type === 'text') return el('div', { class: 'blk text' }, el('pre', { class: 'code', text: txt(b.text) }));
            if (b.type === 'tool_use') return el('div', { class: 'blk tool_use' }, el('span', { class: 'tag', text: 'tool call: ' + b.name }), el('pre', { class: 'code', text: txt(b.input) }));
            return el('div', { class: 'blk tool_result' + (b.is_error ? ' err' : '') }, el('span', { class: 'tag', text: b.is_error ? 'tool error' : 'tool result' }), el('pre', { class: 'code', text: txt(b.content) }));
          })));
        });
      }
    }
    if (!dialog.open) dialog.showModal();
    dialog.scrollTop = 0;
  }

  // ------------------------------------------------------------------ refresh
  function renderTab() {
    var list = filtered();
    if (state.tab === 'summary') renderSummary(list);
    else if (state.tab === 'charts') renderCharts(list);
    else if (state.tab === 'claims') renderClaims();
    else if (state.tab === 'memory') renderMemory();
    else if (state.tab === 'trials') renderTrials(list);
  }
  function refresh() {
    var list = filtered();
    document.getElementById('filter-count').textContent = list.length + ' of ' + TRIALS.length + ' trials';
    renderTab();
  }
  window.dreambenchReport = { showTab: showTab, openTranscript: openTranscript, state: state };
  refresh();
}

// The trial rows of a large run come gzip-compressed, column by column, from the sidecar script
// report-trials.js beside this file (reports/html.ts): inflate them offline with DecompressionStream, then draw.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  if (!D.trials.packed) { dreambenchReportMain(D); return; }
  var packed = window.DREAMBENCH_REPORT_TRIALS;
  if (typeof packed !== 'string') {
    document.getElementById('app').textContent = 'The trial rows of this large run are in report-trials.js, which must sit beside this file (it is missing); report.md and trials.csv hold the same figures.';
    return;
  }
  var binary = atob(packed);
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  new Response(stream).text().then(function (text) {
    var columns = JSON.parse(text);
    var n = columns.length ? columns[0].length : 0;
    var rows = new Array(n);
    for (var r = 0; r < n; r++) {
      var row = new Array(columns.length);
      for (var c = 0; c < columns.length; c++) row[c] = columns[c][r];
      rows[r] = row;
    }
    D.trials.rows = rows;
    dreambenchReportMain(D);
  }, function (error) {
    document.getElementById('app').textContent = 'This browser could not unpack the trial table (' + error + '); report.md and trials.csv beside this file hold the same figures.';
  });
})();
