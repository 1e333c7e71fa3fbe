/** A tiny external store: a reducer, a state, listeners (what useSyncExternalStore wants). */
export function createStore<S, E>(reduce: (state: S, event: E) => S, initial: S) {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    dispatch(event: E): S {
      state = reduce(state, event);
      for (const listener of listeners) listener();
      return state;
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type Store<S, E> = ReturnType<typeof createStore<S, E>>;
