import type { SignInSteps } from '../test/support/desk-page';
import type { EarlierLongTask } from './page-meter';

/** The steps of the page's start-up, in order, as the benchmark reports its long tasks by step. */
export const START_UP_STEPS = [
  { step: 'loading', says: 'loading the desk, to the sign-in form' },
  { step: 'form', says: 'the form on screen (the desk chunk fetched meanwhile)' },
  { step: 'signing-in', says: 'signing in, to the book loaded' },
  { step: 'first-book', says: 'after the book loaded, to the meter' },
] as const;

export type StartUpStep = (typeof START_UP_STEPS)[number]['step'];

/** The long tasks of each start-up step (ms each): a task belongs to the step it started in. */
export function longTasksByStep(
  tasks: readonly EarlierLongTask[],
  steps: SignInSteps,
): Record<StartUpStep, number[]> {
  const byStep: Record<StartUpStep, number[]> = { loading: [], form: [], 'signing-in': [], 'first-book': [] };
  for (const task of tasks) {
    const step: StartUpStep =
      task.at < steps.formShownAt
        ? 'loading'
        : task.at < steps.submittedAt
          ? 'form'
          : task.at < steps.bookShownAt
            ? 'signing-in'
            : 'first-book';
    byStep[step].push(task.ms);
  }
  return byStep;
}
