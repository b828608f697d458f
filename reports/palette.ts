// Colours and marks that tell arms apart, for the PNG charts and report.html alike.
//
// The Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2002; Wong, "Points of view: Color
// blindness", Nature Methods 8:441, 2011) stays distinguishable under the common colour-vision
// deficiencies. Yellow is left last: it is hard to read on white. Lines also differ by point shape
// and dash, so arms stay apart in greyscale print.

export const ARM_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] as const;
export const POINT_STYLES = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded'] as const;
export const DASHES: ReadonlyArray<number[]> = [[], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [1, 3], [10, 4], [3, 6]];

export interface ArmStyle {
  colour: string;
  point: (typeof POINT_STYLES)[number];
  dash: number[];
}

/** The style of the i-th arm in report order (cycles past eight arms). */
export function armStyle(index: number): ArmStyle {
  const i = ((index % ARM_COLOURS.length) + ARM_COLOURS.length) % ARM_COLOURS.length;
  return { colour: ARM_COLOURS[i]!, point: POINT_STYLES[i]!, dash: DASHES[i]! };
}

/** `#rrggbb` with an alpha, as an rgba() string. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Sequential colour for a heat map cell (0 = white, 1 = dark vermillion), readable for colour-blind readers. */
export function heat(value: number): string {
  if (!Number.isFinite(value)) return '#f2f2f2';
  const v = Math.min(1, Math.max(0, value));
  // White -> #D55E00 -> #6b2f00 (light to dark on one hue: order reads without hue discrimination).
  const stops: Array<[number, [number, number, number]]> = [
    [0, [255, 255, 255]],
    [0.5, [240, 150, 80]],
    [1, [120, 40, 0]],
  ];
  let k = 0;
  while (k < stops.length - 2 && v > stops[k + 1]![0]) k++;
  const [x0, c0] = stops[k]!;
  const [x1, c1] = stops[k + 1]!;
  const t = (v - x0) / (x1 - x0);
  const c = c0.map((a, j) => Math.round(a + t * (c1[j]! - a)));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
