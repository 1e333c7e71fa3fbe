import type { RouterOutputs } from '@tickfolio/server/router';
import type { z } from 'zod';
import type { liveEventSchemas } from './live-events';

/**
 * A compile-time check, run by `pnpm typecheck`: each live procedure's event type, as the router
 * declares it, is exactly its schema's type. A change on either side that the other does not follow
 * stops the build, so the schemas clients parse with cannot drift from what the server sends.
 */

/** What a subscription yields, without its tracking envelope. */
type Emitted<Output> = Output extends AsyncIterable<{ data: infer Event }> ? Event : never;

/** true only when A and B are the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

type Parsed<Path extends keyof typeof liveEventSchemas> = z.output<(typeof liveEventSchemas)[Path]>;

/** Accepts true only: a false argument is a type error. */
type Assert<Condition extends true> = Condition;

// Never used: it exists to be type-checked (the underscore tells the linter so).
type _LiveEventsMatchTheRouter = [
  Assert<Same<Emitted<RouterOutputs['portfolio']['live']>, Parsed<'portfolio.live'>>>,
  Assert<Same<Emitted<RouterOutputs['advisor']['book']['live']>, Parsed<'advisor.book.live'>>>,
  Assert<Same<Emitted<RouterOutputs['prices']['live']>, Parsed<'prices.live'>>>,
  Assert<Same<Emitted<RouterOutputs['notifications']['live']>, Parsed<'notifications.live'>>>,
];
