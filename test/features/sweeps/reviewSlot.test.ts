import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/domain/config/config.ts';
import { latestReviewSlot } from '../../../src/domain/sweep/reviewSlot.ts';

const review = (input: object) => validateConfig({ sweeps: { review: input } }).config.sweeps.review;

describe('incident review slots', () => {
  const biweekly = review({ weekday: 'thursday', time: '15:00', timezone: 'America/New_York', start: '2026-03-01', everyWeeks: 2 });

  it('has none before the first review', () => {
    expect(latestReviewSlot(biweekly, 'UTC', new Date('2026-03-05T19:59:00Z'))).toBeNull();
  });

  it('falls every two weeks on the weekday at the local time, across the DST change', () => {
    // 2026-03-05 15:00 EST = 20:00Z; two weeks later 15:00 EDT = 19:00Z (DST began on 03-08).
    expect(latestReviewSlot(biweekly, 'UTC', new Date('2026-03-05T20:00:00Z'))).toEqual({ date: '2026-03-05', at: new Date('2026-03-05T20:00:00Z'), previous: new Date('2026-02-19T20:00:00Z') });
    expect(latestReviewSlot(biweekly, 'UTC', new Date('2026-03-19T18:59:00Z'))?.date).toBe('2026-03-05');
    expect(latestReviewSlot(biweekly, 'UTC', new Date('2026-03-19T19:00:00Z'))).toEqual({ date: '2026-03-19', at: new Date('2026-03-19T19:00:00Z'), previous: new Date('2026-03-05T20:00:00Z') });
  });

  it('uses the top-level zone when the review has none', () => {
    expect(latestReviewSlot(review({ weekday: 'monday', time: '09:00', start: '2026-03-02' }), 'Europe/Berlin', new Date('2026-03-02T08:00:00Z'))?.at).toEqual(new Date('2026-03-02T08:00:00Z'));
  });
});
