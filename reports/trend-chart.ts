// The history trend chart: completion rate per suite x arm across runs (oldest to newest), with
// Wilson 95% bands, as a PNG (`dreambench history show --chart FILE`). Exported for reports that
// want to embed it: `trendFromHistory(dbPath, query)` then `renderTrendChart(trend)`.

import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { History, type HistoryQuery, type HistoryRun } from '../harness/compare/history.js';
import { armStyle, withAlpha } from './palette.js';

export interface TrendSeries {
  /** `suite / arm`. */
  label: string;
  /** One value per run (NaN where the run has no such suite x arm), as fractions in [0, 1]. */
  rate: number[];
  lo: number[];
  hi: number[];
}

export interface Trend {
  /** One label per run, oldest first: `#id sha7`. */
  runs: string[];
  /** Details per run, same order. */
  details: Array<Pick<HistoryRun, 'id' | 'created_at' | 'git_sha' | 'branch' | 'model' | 'config_hash' | 'simulated'>>;
  series: TrendSeries[];
  simulated: boolean;
}

/** Build the trend from history rows (newest first, as History.list returns them) and their 'all' rates. */
export function trendFromRuns(runs: readonly HistoryRun[], rates: ReturnType<History['rates']>): Trend {
  const ordered = [...runs].reverse();
  const index = new Map(ordered.map((r, i) => [r.id, i]));
  const series = new Map<string, TrendSeries>();
  for (const r of rates) {
    const i = index.get(r.run);
    if (i === undefined) continue;
    const label = `${r.suite} / ${r.arm}`;
    let s = series.get(label);
    if (!s) {
      s = { label, rate: ordered.map(() => NaN), lo: ordered.map(() => NaN), hi: ordered.map(() => NaN) };
      series.set(label, s);
    }
    s.rate[i] = r.rate;
    s.lo[i] = r.lo;
    s.hi[i] = r.hi;
  }
  return {
    runs: ordered.map((r) => `#${r.id} ${r.git_sha ? r.git_sha.slice(0, 7) : r.run_id.slice(0, 12)}`),
    details: ordered.map((r) => ({
      id: r.id,
      created_at: r.created_at,
      git_sha: r.git_sha,
      branch: r.branch,
      model: r.model,
      config_hash: r.config_hash,
      simulated: r.simulated,
    })),
    series: [...series.values()].sort((a, b) => a.label.localeCompare(b.label)),
    simulated: ordered.some((r) => r.simulated),
  };
}

/** Read the trend from a history database (newest `limit` runs, optionally one branch). */
export function trendFromHistory(dbPath: string, query: HistoryQuery = {}): Trend {
  const history = History.open(dbPath, { readonly: true });
  try {
    const runs = history.list(query);
    return trendFromRuns(runs, history.rates(runs.map((r) => r.id)));
  } finally {
    history.close();
  }
}

let renderer: ChartJSNodeCanvas | undefined;
const WIDTH = 1000;
const HEIGHT = 520;

/** The trend as a PNG: one line per suite x arm, a translucent Wilson band around each. */
export function renderTrendChart(trend: Trend, options: { title?: string } = {}): Buffer {
  renderer ??= new ChartJSNodeCanvas({
    width: WIDTH,
    height: HEIGHT,
    backgroundColour: 'white',
    chartCallback: (ChartJS) => {
      ChartJS.defaults.font.family = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
      ChartJS.defaults.font.size = 14;
      ChartJS.defaults.color = '#222';
      ChartJS.defaults.animation = false;
      ChartJS.defaults.responsive = false;
      ChartJS.defaults.devicePixelRatio = 1;
    },
  });
  const datasets: ChartDataset<'line', Array<number | null>>[] = [];
  const pct = (xs: number[]): Array<number | null> => xs.map((x) => (Number.isFinite(x) ? x * 100 : null));
  trend.series.forEach((s, i) => {
    const style = armStyle(i);
    // The band: the upper bound filled down to the lower bound (the next dataset), no legend entry.
    datasets.push({
      label: `${s.label} (95% upper)`,
      data: pct(s.hi),
      borderWidth: 0,
      pointRadius: 0,
      backgroundColor: withAlpha(style.colour, 0.15),
      fill: '+1',
      spanGaps: true,
    });
    datasets.push({
      label: `${s.label} (95% lower)`,
      data: pct(s.lo),
      borderWidth: 0,
      pointRadius: 0,
      backgroundColor: withAlpha(style.colour, 0.15),
      fill: false,
      spanGaps: true,
    });
    datasets.push({
      label: s.label,
      data: pct(s.rate),
      borderColor: style.colour,
      backgroundColor: style.colour,
      borderDash: style.dash,
      pointStyle: style.point,
      pointRadius: 5,
      borderWidth: 2.5,
      fill: false,
      spanGaps: true,
    });
  });
  const title = options.title ?? 'Completion rate across runs (all sessions, Wilson 95% band)';
  const config: ChartConfiguration<'line', Array<number | null>> = {
    type: 'line',
    data: { labels: trend.runs, datasets },
    options: {
      plugins: {
        title: { display: true, text: title, font: { size: 17, weight: 'bold' } },
        subtitle: { display: trend.simulated, text: 'sim model runs: these describe the harness, not any real model' },
        legend: { labels: { filter: (item) => !/\(95% (upper|lower)\)$/.test(item.text), usePointStyle: true, pointStyleWidth: 14 } },
      },
      scales: {
        y: { min: 0, max: 100, title: { display: true, text: 'completion rate (%)' } },
        x: { title: { display: true, text: 'run (oldest to newest)' } },
      },
    },
  };
  return renderer.renderToBufferSync(config as ChartConfiguration, 'image/png');
}

/** Render and write the trend chart; returns the number of runs drawn. */
export function writeTrendChart(file: string, trend: Trend, options: { title?: string } = {}): number {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, renderTrendChart(trend, options));
  return trend.runs.length;
}
