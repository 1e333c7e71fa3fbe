/** One dependency's check: resolves when it answers, rejects when it fails. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * /readyz's checks, run side by side, each counting as failed when it has not answered within
 * `timeoutMs`: a dependency that has gone silent makes the replica unready within that time rather
 * than leaving the load balancer's probe hanging.
 */
export function createReadiness(
  timeoutMs: number,
  checks: Readonly<Record<string, ReadinessCheck>>,
): () => Promise<Record<string, boolean>> {
  return async () => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((name) => passesWithin(timeoutMs, checks[name]!)));
    return Object.fromEntries(names.map((name, i) => [name, results[i]!]));
  };
}

async function passesWithin(timeoutMs: number, check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      check().then(
        () => true,
        () => false,
      ),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
