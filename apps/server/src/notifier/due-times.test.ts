import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DueTimes } from './due-times';

describe('due times', () => {
  it('hands out what is due, earliest first, and keeps the rest (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 1_000 }), { maxLength: 10 }),
        (times, nows) => {
          const due = new DueTimes<number>();
          for (const [i, at] of times.entries()) due.add(at, i);
          const left = times.map((at, i) => ({ at, i }));
          for (const now of [...nows].sort((a, b) => a - b)) {
            const taken = due.takeDue(now);
            const expected = left.filter((x) => x.at <= now);
            expect(taken.map((i) => times[i])).toEqual(expected.map((x) => x.at).sort((a, b) => a - b));
            expect(new Set(taken)).toEqual(new Set(expected.map((x) => x.i)));
            left.splice(0, left.length, ...left.filter((x) => x.at > now));
            expect(due.size).toBe(left.length);
          }
        },
      ),
    );
  });

  it('keeps nothing due never', () => {
    const due = new DueTimes<string>();
    due.add(Number.POSITIVE_INFINITY, 'never');
    expect(due.size).toBe(0);
  });
});
