import { describe, expect, it } from 'vitest';
import { scheduleWarnings } from './schedule-warnings.js';

describe('schedule events outside the run', () => {
  it('warns about a drift or a held-out family that starts after the last session, and not otherwise', () => {
    const schedule = { held_out: [{ family: 'late', from_session: 4 }], drift: [{ pitfall: 'p1', from_session: 6 }] };
    const short = scheduleWarnings({ sessions: 3, schedule } as Parameters<typeof scheduleWarnings>[0]);
    expect(short).toHaveLength(2);
    expect(short[0]).toMatch(/^schedule\.drift: pitfall "p1" drifts from session 6, but the run has 3 sessions: it never drifts/);
    expect(short[1]).toMatch(/^schedule\.held_out: family "late" appears from session 4/);
    expect(scheduleWarnings({ sessions: 6, schedule } as Parameters<typeof scheduleWarnings>[0])).toEqual([]);
  });
});
