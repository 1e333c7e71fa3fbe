import type { BookChangedEvent, PortfolioChangedEvent, RouterInputs, RouterOutputs } from '@tickfolio/api';

/** The server's answers as the CLI uses them (types only; no server code is imported). */
export type Summary = RouterOutputs['portfolio']['summary'];
export type Holdings = RouterOutputs['portfolio']['holdings'];
export type Holding = Holdings['holdings'][number];
export type Allocation = RouterOutputs['portfolio']['allocation'];
export type Totals = Summary['totals'];
export type Account = RouterOutputs['accounts']['list'][number];
export type Transaction = RouterOutputs['transactions']['list']['items'][number];
export type TransactionInput = RouterInputs['transactions']['add'];
export type ImportFormat = RouterInputs['transactions']['import']['format'];
export type ImportReport = RouterOutputs['transactions']['import'];
export type Instrument = RouterOutputs['instruments']['get'];
export type BookClient = RouterOutputs['advisor']['clients'][number];
export type User = RouterOutputs['admin']['users']['get'];
export type CurrencyCode = RouterInputs['accounts']['create']['baseCurrency'];
export type TransactionType = TransactionInput['type'];

/** What a live subscription delivers to onData: a tracked event, its stream id and its data. */
export type PortfolioLiveEvent = { readonly id: string; readonly data: PortfolioChangedEvent };
export type BookLiveEvent = { readonly id: string; readonly data: BookChangedEvent };
export type LookupAnswer = RouterOutputs['instruments']['lookup'];
export type LookupResult = LookupAnswer['results'][number];
export type InstrumentRequestAnswer = RouterOutputs['instruments']['request'];
export type Performance = RouterOutputs['portfolio']['performance'];
export type AlertRule = RouterOutputs['alerts']['list'][number];
export type NewAlertRule = RouterInputs['alerts']['create'];
export type InboxNotification = RouterOutputs['notifications']['list'][number];
