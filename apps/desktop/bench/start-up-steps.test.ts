import { describe, expect, it } from 'vitest';
import { longTasksByStep } from './start-up-steps';

describe('longTasksByStep', () => {
  const steps = { formShownAt: 100, submittedAt: 300, bookShownAt: 900 };

  it('puts each long task in the step it started in', () => {
    const tasks = [
      { at: 10, ms: 80 },
      { at: 150, ms: 55 },
      { at: 300, ms: 61 },
      { at: 899, ms: 52 },
      { at: 900, ms: 70 },
    ];
    expect(longTasksByStep(tasks, steps)).toEqual({
      loading: [80],
      form: [55],
      'signing-in': [61, 52],
      'first-book': [70],
    });
  });

  it('gives every step a list, empty when it had no long task', () => {
    expect(longTasksByStep([], steps)).toEqual({ loading: [], form: [], 'signing-in': [], 'first-book': [] });
  });
});
