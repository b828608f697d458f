import { describe, expect, it } from 'vitest';
import { studentCdf, studentQuantile } from './student.js';

// Reference values: scipy.stats.t (SciPy 1.17), to double precision; they agree with the printed
// tables (Abramowitz & Stegun 1964, Table 26.10; e.g. t(0.975; 1, 2, 5, 10, 30) = 12.706, 4.303,
// 2.571, 2.228, 2.042) to the tables' digits.
const quantiles: Array<[number, number, number]> = [
  // [df, t_0.975, t_0.995]
  [1, 12.706204736174694, 63.656741162871526],
  [2, 4.302652729749462, 9.924843200918287],
  [3, 3.1824463052837078, 5.840909309733355],
  [4, 2.7764451051977934, 4.604094871349992],
  [5, 2.5705818356363146, 4.032142983555228],
  [7, 2.364624251592784, 3.4994832973504924],
  [10, 2.228138851986274, 3.16927267261695],
  [30, 2.0422724563012378, 2.7499956535672254],
  [100, 1.9839715185235518, 2.6258905214380173],
  [999, 1.9623414611334493, 2.5807596372676365],
  [1000, 1.9623390808264083, 2.580754698065951],
  [5000, 1.9604385517065073, 2.5768129665562802],
];
const cdfs: Array<[number, number, number]> = [
  // [df, P(T <= -2.5), P(T <= 1)]
  [1, 0.12111894159084341, 0.75],
  [2, 0.06480586011075541, 0.7886751345948129],
  [3, 0.04385332350403278, 0.8044988905221148],
  [4, 0.03338327240599407, 0.8130495168499705],
  [5, 0.02724504967118813, 0.8183912661754386],
  [10, 0.01572342211830441, 0.8295534338489701],
  [30, 0.009057824534033344, 0.8373456922869849],
  [1000, 0.0062892839005454036, 0.8412237909576638],
];

describe('studentQuantile', () => {
  it.each(quantiles)('df %i: t_0.975 = %s, t_0.995 = %s', (df, q975, q995) => {
    expect(Math.abs(studentQuantile(0.975, df) - q975) / q975).toBeLessThan(1e-9);
    expect(Math.abs(studentQuantile(0.995, df) - q995) / q995).toBeLessThan(1e-9);
    expect(studentQuantile(0.025, df)).toBeCloseTo(-studentQuantile(0.975, df), 12);
  });
  it('ends and invalid input', () => {
    expect(studentQuantile(0.5, 4)).toBe(0);
    expect(studentQuantile(0, 4)).toBe(-Infinity);
    expect(studentQuantile(1, 4)).toBe(Infinity);
    expect(studentQuantile(1.5, 4)).toBeNaN();
    expect(() => studentQuantile(0.9, 0)).toThrow(RangeError);
    expect(() => studentQuantile(0.9, 2.5)).toThrow(RangeError);
  });
});

describe('studentCdf', () => {
  it.each(cdfs)('df %i: P(T <= -2.5) = %s, P(T <= 1) = %s', (df, lower, at1) => {
    expect(Math.abs(studentCdf(-2.5, df) - lower) / lower).toBeLessThan(1e-12);
    expect(Math.abs(studentCdf(1, df) - at1)).toBeLessThan(1e-14);
  });
  it('is the inverse of the quantile', () => {
    for (const df of [3, 8, 25]) for (const p of [0.6, 0.9, 0.99]) expect(studentCdf(studentQuantile(p, df), df)).toBeCloseTo(p, 11);
  });
});
