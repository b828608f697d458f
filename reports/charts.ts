// The report's figures as PNG files (report/charts/*.png), for papers, slides and CI summaries.
//
// Rendered with chart.js through chartjs-node-canvas (canvas = @napi-rs/canvas, synchronous
// rendering), from the ReportModel alone. Arms keep one colour, point shape and dash pattern across
// every figure (reports/palette.ts: Okabe-Ito, colour-blind safe). Multi-panel figures are drawn
// panel by panel and composed on one canvas. The pitfall heat map is drawn directly on a canvas.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { createCanvas, Image } from 'canvas';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ReportModel } from './analysis.js';
import { armStyle, heat, withAlpha } from './palette.js';

export interface ChartFile {
  /** File name under report/charts/. */
  file: string;
  title: string;
  /** What the figure shows, for alt text and the Markdown report. */
  description: string;
}

const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
const renderers = new Map<string, ChartJSNodeCanvas>();

function renderer(width: number, height: number): ChartJSNodeCanvas {
  const key = `${width}x${height}`;
  let r = renderers.get(key);
  if (!r) {
    r = new ChartJSNodeCanvas({
      width,
      height,
      backgroundColour: 'white',
      chartCallback: (ChartJS) => {
        ChartJS.defaults.font.family = FONT;
        ChartJS.defaults.font.size = 14;
        ChartJS.defaults.color = '#222';
        ChartJS.defaults.animation = false;
        ChartJS.defaults.responsive = false;
        ChartJS.defaults.devicePixelRatio = 1;
      },
    });
    renderers.set(key, r);
  }
  return r;
}

function render(config: ChartConfiguration, width: number, height: number): Buffer {
  return renderer(width, height).renderToBufferSync(config, 'image/png');
}

/** Panels side by side (or in a grid of `columns`) on one white canvas, under a common title. */
function compose(panels: Buffer[], panelWidth: number, panelHeight: number, columns: number, title: string, footnote?: string): Buffer {
  const rows = Math.ceil(panels.length / columns);
  const top = 44;
  const bottom = footnote ? 30 : 8;
  const canvas = createCanvas(panelWidth * columns, panelHeight * rows + top + bottom);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.font = `bold 20px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.fillText(title, canvas.width / 2, 30);
  panels.forEach((buf, i) => {
    const img = new Image();
    img.src = buf;
    ctx.drawImage(img, (i % columns) * panelWidth, top + Math.floor(i / columns) * panelHeight);
  });
  if (footnote) {
    ctx.font = `13px ${FONT}`;
    ctx.fillStyle = '#555';
    ctx.textAlign = 'left';
    ctx.fillText(footnote, 12, canvas.height - 10);
  }
  return canvas.toBuffer('image/png');
}

const armIndex = (model: ReportModel, arm: string): number =>
  Math.max(
    0,
    model.arms.findIndex((a) => a.name === arm),
  );

function lineDataset(
  model: ReportModel,
  arm: string,
  points: Array<{ x: number; y: number | null }>,
  label = arm,
): ChartDataset<'line', Array<{ x: number; y: number | null }>> {
  const s = armStyle(armIndex(model, arm));
  return {
    label,
    data: points,
    borderColor: s.colour,
    backgroundColor: s.colour,
    borderDash: s.dash,
    pointStyle: s.point,
    pointRadius: 5,
    borderWidth: 2.5,
    spanGaps: true,
    clip: 8,
  };
}

const sessionAxis = (model: ReportModel, sessions: readonly number[] = model.sessions, title = 'Session') => ({
  type: 'linear' as const,
  title: { display: true, text: title },
  min: Math.min(...sessions) - 0.2,
  max: Math.max(...sessions) + 0.2,
  // One tick per session (thinned past 20), whatever the axis padding.
  afterBuildTicks: (axis: { ticks: Array<{ value: number }> }) => {
    const every = Math.ceil(sessions.length / 20);
    axis.ticks = sessions.filter((_, i) => i % every === 0).map((value) => ({ value }));
  },
});

const legend = { position: 'bottom' as const, labels: { usePointStyle: true, boxWidth: 40, padding: 16 } };
const barLegend = { position: 'bottom' as const, labels: { boxWidth: 18, padding: 14 } };

function footnoteFor(model: ReportModel): string | undefined {
  return model.note ? 'Built-in sim model: these figures describe the harness, not any real model.' : undefined;
}

function withNote(title: string, model: ReportModel): string[] {
  return model.note ? [title, '(sim model: describes the harness, not a real model)'] : [title];
}

/** Completion rate per session per arm, with Wilson 95% bands. */
function completionChart(model: ReportModel): Buffer {
  const datasets: ChartDataset<'line', Array<{ x: number; y: number | null }>>[] = [];
  const offsetStep = model.arms.length > 1 ? 0.12 / (model.arms.length - 1) : 0;
  model.curves.forEach((curve, i) => {
    const s = armStyle(armIndex(model, curve.arm));
    // A small horizontal offset per arm keeps overlapping points and bands apart.
    const dx = (i - (model.curves.length - 1) / 2) * offsetStep;
    const pts = curve.points.filter((p) => p.n > 0);
    datasets.push({
      label: `${curve.arm} 95% interval (upper)`,
      data: pts.map((p) => ({ x: p.session + dx, y: p.hi * 100 })),
      borderColor: 'transparent',
      backgroundColor: 'transparent',
      pointRadius: 0,
      fill: false,
    });
    datasets.push({
      label: `${curve.arm} 95% interval`,
      data: pts.map((p) => ({ x: p.session + dx, y: p.lo * 100 })),
      borderColor: 'transparent',
      backgroundColor: withAlpha(s.colour, 0.14),
      pointRadius: 0,
      fill: '-1',
    });
    datasets.push(
      lineDataset(
        model,
        curve.arm,
        pts.map((p) => ({ x: p.session + dx, y: p.rate * 100 })),
      ),
    );
  });
  return render(
    {
      type: 'line',
      data: { datasets },
      options: {
        plugins: {
          title: { display: true, text: withNote('Completion rate per session (shaded: Wilson 95% interval)', model), font: { size: 18 } },
          legend: { ...legend, labels: { ...legend.labels, filter: (item) => !item.text.includes('interval') } },
        },
        scales: {
          x: sessionAxis(model),
          y: { min: 0, max: 100, title: { display: true, text: 'Completion rate (%)' }, ticks: { callback: (v) => `${v}%` } },
        },
      },
    },
    1100,
    620,
  );
}

const KIND_COLOURS = ['#0072B2', '#56B4E9', '#009E73', '#A6D8C5', '#E69F00', '#CC79A7'];

/** Tokens per trial by kind, and total cost by source, per arm. */
function costChart(model: ReportModel): Buffer {
  const arms = model.cost.map((c) => c.arm);
  const per = (f: (c: ReportModel['cost'][number]) => number) => model.cost.map((c) => (c.trials > 0 ? f(c) / c.trials : 0));
  const allTokenKinds: Array<[string, number[]]> = [
    ['input', per((c) => c.input_tokens)],
    ['output', per((c) => c.output_tokens)],
    ['cache read', per((c) => c.cache_read_tokens)],
    ['cache write', per((c) => c.cache_write_tokens)],
    ['arm, after tasks', per((c) => c.arm_tokens)],
    ['consolidation (dreams)', per((c) => c.consolidation_tokens)],
  ];
  // Kinds that are zero for every arm say nothing; each kind keeps its colour.
  const tokenKinds = allTokenKinds
    .map(([label, data], i) => ({ label, data, colour: KIND_COLOURS[i] }))
    .filter((k) => k.data.some((v) => v > 0));
  const tokens = render(
    {
      type: 'bar',
      data: {
        labels: arms,
        datasets: tokenKinds.map(({ label, data, colour }) => ({ label, data, backgroundColor: colour, stack: 'tokens' })),
      },
      options: {
        plugins: { title: { display: true, text: 'Tokens per trial, by kind', font: { size: 16 } }, legend: barLegend },
        scales: {
          x: { stacked: true, title: { display: true, text: 'Arm' } },
          y: { stacked: true, title: { display: true, text: 'Tokens per trial' } },
        },
      },
    },
    620,
    520,
  );
  const costKinds: Array<[string, number[]]> = [
    ['trials', model.cost.map((c) => c.trial_cost_usd)],
    ['arm, after tasks', model.cost.map((c) => c.arm_cost_usd)],
    ['consolidation (dreams)', model.cost.map((c) => c.consolidation_cost_usd)],
  ];
  // Series that are zero for every arm say nothing; the colours stay tied to their kind.
  const costShown = costKinds.map((k, i) => [k, i] as const).filter(([[, data]]) => data.some((v) => v > 0));
  const totalCost = model.cost.reduce((s, c) => s + c.total_cost_usd, 0);
  const cost = render(
    {
      type: 'bar',
      data: {
        labels: arms,
        datasets: costShown.map(([[label, data], i]) => ({
          label,
          data,
          backgroundColor: [KIND_COLOURS[0], KIND_COLOURS[4], KIND_COLOURS[5]][i],
          stack: 'cost',
        })),
      },
      options: {
        plugins: {
          title: {
            display: true,
            text: totalCost > 0 ? 'Total cost (USD), by source' : 'Total cost (USD): none recorded',
            font: { size: 16 },
          },
          legend: barLegend,
        },
        scales: {
          x: { stacked: true, title: { display: true, text: 'Arm' } },
          y: {
            stacked: true,
            beginAtZero: true,
            ...(totalCost > 0 ? {} : { max: 1 }),
            title: { display: true, text: 'Cost (USD)' },
            ticks: { callback: (v) => `$${v}` },
          },
        },
      },
    },
    620,
    520,
  );
  return compose([tokens, cost], 620, 520, 2, 'Cost and tokens per arm', footnoteFor(model));
}

/**
 * Mean turns, tokens and wall time of completed trials, per session per arm, each with a shaded 95%
 * t interval. A sim run's wall time is the harness's own speed, so its panel is left out (the
 * caption says so).
 */
function timeChart(model: ReportModel): Buffer {
  const panel = (field: 'turns' | 'tokens' | 'wall_ms', title: string, axis: string, scale = 1) => {
    const datasets: ChartDataset<'line', Array<{ x: number; y: number | null }>>[] = [];
    for (const a of model.arms) {
      const rows = model.time.filter((r) => r.arm === a.name && r.completed > 1);
      const ci = (r: ReportModel['time'][number]) => r[`${field}_ci`];
      const colour = armStyle(armIndex(model, a.name)).colour;
      datasets.push({
        label: `${a.name} 95% interval (upper)`,
        data: rows.map((r) => ({ x: r.session, y: ci(r)[1] / scale })),
        borderColor: 'transparent',
        backgroundColor: 'transparent',
        pointRadius: 0,
        fill: false,
      });
      datasets.push({
        label: `${a.name} 95% interval`,
        data: rows.map((r) => ({ x: r.session, y: Math.max(0, ci(r)[0]) / scale })),
        borderColor: 'transparent',
        backgroundColor: withAlpha(colour, 0.14),
        pointRadius: 0,
        fill: '-1',
      });
      datasets.push(
        lineDataset(
          model,
          a.name,
          model.time.filter((r) => r.arm === a.name).map((r) => ({ x: r.session, y: r.completed > 0 ? r[field] / scale : null })),
        ),
      );
    }
    return render(
      {
        type: 'line',
        data: { datasets },
        options: {
          plugins: {
            title: { display: true, text: `${title} (shaded: 95% interval)`, font: { size: 16 } },
            legend: { ...legend, labels: { ...legend.labels, filter: (item) => !item.text.includes('interval') } },
          },
          scales: { x: sessionAxis(model), y: { beginAtZero: true, title: { display: true, text: axis } } },
        },
      },
      560,
      460,
    );
  };
  const panels = [panel('turns', 'Turns', 'Mean turns per completed trial'), panel('tokens', 'Tokens', 'Mean tokens per completed trial')];
  if (!model.run.simulated) panels.push(panel('wall_ms', 'Wall time', 'Mean wall time per completed trial (s)', 1000));
  return compose(panels, 560, 460, panels.length, 'Time to completion per session (completed trials only)', footnoteFor(model));
}

/** Memory entries and tokens after each session, mean over replicates. */
function memoryChart(model: ReportModel): Buffer | undefined {
  // Arms that never kept anything would only draw flat zero lines over one another.
  const keeping = model.arms.filter((a) => model.memory.some((r) => r.arm === a.name && (r.entries > 0 || r.tokens > 0)));
  if (keeping.length === 0) return undefined;
  const without = model.arms.filter((a) => !keeping.includes(a)).map((a) => a.name);
  const sessions = [...new Set(model.memory.map((r) => r.session))].sort((a, b) => a - b);
  const axisTitle = sessions[0] === 0 ? 'After session (0 = the memory the run started with)' : 'After session';
  const panel = (field: 'entries' | 'tokens' | 'precision' | 'recall', title: string, axis: string, percent = false) =>
    render(
      {
        type: 'line',
        data: {
          datasets: keeping.map((a) =>
            lineDataset(
              model,
              a.name,
              model.memory
                .filter((r) => r.arm === a.name)
                .map((r) => ({ x: r.session, y: Number.isFinite(r[field]) ? r[field] * (percent ? 100 : 1) : null })),
            ),
          ),
        },
        options: {
          plugins: { title: { display: true, text: title, font: { size: 16 } }, legend },
          scales: {
            x: sessionAxis(model, sessions, axisTitle),
            y: {
              beginAtZero: true,
              ...(percent ? { max: 100, ticks: { callback: (v: number | string) => `${v}%` } } : {}),
              title: { display: true, text: axis },
            },
          },
        },
      },
      620,
      440,
    );
  const panels = [
    panel('entries', 'Entries (lessons, notes, skills)', 'Entries after the session (mean over replicates)'),
    panel('tokens', 'Size in tokens (≈ characters / 4)', 'Tokens after the session (mean over replicates)'),
  ];
  const quality = model.memory.some((r) => Number.isFinite(r.precision) || Number.isFinite(r.recall));
  if (quality) {
    panels.push(
      panel('precision', 'Lesson precision', 'Entries naming a current pitfall fix (%)', true),
      panel('recall', 'Recall of pitfalls met', 'Pitfalls met so far that memory covers (%)', true),
    );
  }
  const notes = [without.length ? `No memory kept by: ${without.join(', ')}.` : '', footnoteFor(model) ?? ''].filter(Boolean).join(' ');
  return compose(panels, 620, 440, 2, quality ? 'Memory size and quality per session' : 'Memory size per session', notes || undefined);
}

/** Heat map: share of exposed trials that hit each pitfall, per arm (panel) and session (column). */
function pitfallChart(model: ReportModel): Buffer | undefined {
  const ids = model.pitfalls.ids;
  if (ids.length === 0) return undefined;
  const sessions = model.sessions;
  const arms = model.arms.map((a) => a.name);
  const cell = new Map(model.pitfalls.cells.map((c) => [`${c.arm}\u0000${c.session}\u0000${c.pitfall}`, c]));
  const measure = createCanvas(10, 10).getContext('2d');
  measure.font = `14px ${FONT}`;
  const labelWidth = Math.min(320, Math.max(...ids.map((id) => measure.measureText(id).width)) + 24);
  const cw = Math.max(26, Math.min(56, Math.floor(760 / Math.max(1, sessions.length))));
  const ch = 26;
  const panelW = sessions.length * cw;
  const gap = 28;
  const top = 96;
  const legendH = model.note ? 92 : 70;
  const width = labelWidth + arms.length * panelW + (arms.length - 1) * gap + 30;
  const height = top + ids.length * ch + 40 + legendH;
  const canvas = createCanvas(Math.max(width, 760), height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111';
  ctx.textAlign = 'center';
  ctx.font = `bold 20px ${FONT}`;
  ctx.fillText('Pitfalls hit per session: share of trials where the pitfall could bite', canvas.width / 2, 28);
  ctx.font = `13px ${FONT}`;
  ctx.fillStyle = '#444';
  ctx.fillText('cell = trials that hit it / trials exposed to it (hit or avoided); grey = not met; number = hits', canvas.width / 2, 48);
  arms.forEach((arm, a) => {
    const x0 = labelWidth + a * (panelW + gap);
    const s = armStyle(a);
    ctx.fillStyle = s.colour;
    ctx.fillRect(x0, 60, panelW, 5);
    ctx.fillStyle = '#111';
    ctx.font = `bold 15px ${FONT}`;
    ctx.textAlign = 'center';
    ctx.fillText(arm, x0 + panelW / 2, 82);
    sessions.forEach((session, j) => {
      ids.forEach((id, i) => {
        const c = cell.get(`${arm}\u0000${session}\u0000${id}`);
        const share = c && c.exposed > 0 ? c.hit / c.exposed : NaN;
        ctx.fillStyle = heat(share);
        const x = x0 + j * cw;
        const y = top + i * ch;
        ctx.fillRect(x, y, cw - 1, ch - 1);
        if (c && c.hit > 0 && cw >= 26) {
          ctx.fillStyle = share > 0.55 ? 'white' : '#111';
          ctx.font = `12px ${FONT}`;
          ctx.fillText(String(c.hit), x + cw / 2, y + ch / 2 + 4);
        }
      });
      ctx.fillStyle = '#222';
      ctx.font = `12px ${FONT}`;
      if (sessions.length <= 30 || j % Math.ceil(sessions.length / 30) === 0)
        ctx.fillText(String(session), x0 + j * cw + cw / 2, top + ids.length * ch + 16);
    });
    ctx.fillText('session', x0 + panelW / 2, top + ids.length * ch + 34);
  });
  ctx.textAlign = 'right';
  ctx.font = `14px ${FONT}`;
  ctx.fillStyle = '#111';
  ids.forEach((id, i) => ctx.fillText(id, labelWidth - 10, top + i * ch + ch / 2 + 5));
  // Colour scale.
  const ly = top + ids.length * ch + 52;
  const lx = labelWidth;
  const lw = 300;
  for (let k = 0; k < lw; k++) {
    ctx.fillStyle = heat(k / (lw - 1));
    ctx.fillRect(lx + k, ly, 1, 16);
  }
  ctx.strokeStyle = '#888';
  ctx.strokeRect(lx, ly, lw, 16);
  ctx.fillStyle = '#111';
  ctx.font = `12px ${FONT}`;
  ctx.textAlign = 'center';
  ['0%', '50%', '100%'].forEach((t, k) => ctx.fillText(t, lx + (k * lw) / 2, ly + 32));
  ctx.textAlign = 'left';
  ctx.fillText('share of exposed trials that hit the pitfall', lx + lw + 14, ly + 13);
  if (model.note) {
    ctx.fillStyle = '#555';
    ctx.fillText('Built-in sim model: describes the harness, not any real model.', 12, height - 8);
  }
  return canvas.toBuffer('image/png');
}

/** Grader verdict vs the deterministic checker, per arm. */
function graderChart(model: ReportModel): Buffer | undefined {
  const rows = model.grader;
  if (!rows) return undefined;
  const parts: Array<[string, keyof (typeof rows)[number], string]> = [
    ['both pass', 'both_pass', '#009E73'],
    ['both fail', 'both_fail', '#56B4E9'],
    ['grader pass, checker fail', 'grader_pass_checker_fail', '#D55E00'],
    ['grader fail, checker pass', 'grader_fail_checker_pass', '#E69F00'],
  ];
  return render(
    {
      type: 'bar',
      data: {
        labels: rows.map((r) => [
          r.arm,
          `n=${r.n}, agree ${(r.accuracy * 100).toFixed(0)}%`,
          `κ=${Number.isFinite(r.kappa) ? r.kappa.toFixed(2) : '–'}${Number.isFinite(r.kappa_lo) ? ` [${r.kappa_lo.toFixed(2)}, ${r.kappa_hi.toFixed(2)}]` : ''}`,
        ]),
        datasets: parts.map(([label, key, colour]) => ({
          label,
          data: rows.map((r) => (100 * (r[key] as number)) / r.n),
          backgroundColor: colour,
          stack: 'g',
        })),
      },
      options: {
        indexAxis: 'y',
        layout: { padding: { left: 12, right: 24 } },
        plugins: {
          title: { display: true, text: withNote('Grader verdict vs deterministic checker', model), font: { size: 18 } },
          legend: barLegend,
        },
        scales: {
          x: { stacked: true, min: 0, max: 100, title: { display: true, text: 'Share of graded trials (%)' } },
          y: { stacked: true },
        },
      },
    },
    1100,
    Math.max(320, 160 + rows.length * 70),
  );
}

/** Render every applicable chart into `dir`; returns what was written, in report order. */
export function writeCharts(model: ReportModel, dir: string): ChartFile[] {
  mkdirSync(dir, { recursive: true });
  const out: ChartFile[] = [];
  const put = (file: string, title: string, description: string, png: Buffer | undefined) => {
    if (!png) return;
    writeFileSync(join(dir, file), png);
    out.push({ file, title, description });
  };
  if (model.counts.trials === 0) return out;
  put(
    'completion.png',
    'Completion rate per session',
    'Completion rate per session and arm, with Wilson 95% interval bands (infrastructure failures excluded).',
    completionChart(model),
  );
  put(
    'cost-tokens.png',
    'Cost and tokens per arm',
    'Tokens per trial by kind, and total cost by source (trials, the arm after tasks, consolidation), per arm.',
    costChart(model),
  );
  put(
    'time.png',
    'Time to completion',
    model.run.simulated
      ? 'Mean turns and tokens of completed trials, per session and arm, with 95% t intervals. Wall time is left out: in a sim run it measures the harness, not an agent.'
      : 'Mean turns, tokens and wall time of completed trials, per session and arm, with 95% t intervals.',
    timeChart(model),
  );
  put(
    'memory.png',
    'Memory size and quality',
    'Memory entries and tokens after each session, and lesson precision and recall when the pitfall tables are known; mean over replicates.',
    memoryChart(model),
  );
  put(
    'pitfalls.png',
    'Pitfalls hit per session',
    'Heat map: for each arm, session and pitfall, the share of trials exposed to the pitfall that hit it.',
    pitfallChart(model),
  );
  put(
    'grader-agreement.png',
    'Grader vs checker',
    "The grader's verdict against the deterministic checker's, per arm, with Cohen's kappa.",
    graderChart(model),
  );
  return out;
}
