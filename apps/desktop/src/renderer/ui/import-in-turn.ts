/**
 * Loads modules one after another and resolves with the last one. The browser evaluates a script, with
 * every module it imports that was not evaluated yet, in one task: a chunk that brings a large library
 * is a long task as it loads (over 50 ms as the desk started; issue #14). An import() of the library
 * first, awaited, evaluates it in a task of its own; the chunk that uses it then evaluates only itself.
 */
export async function importInTurn<T>(
  first: readonly (() => Promise<unknown>)[],
  last: () => Promise<T>,
): Promise<T> {
  for (const load of first) await load();
  return last();
}
