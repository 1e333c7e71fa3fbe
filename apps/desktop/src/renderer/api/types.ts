import type { BookChangedEvent, PricesChangedEvent, RouterInputs, RouterOutputs } from '@tickfolio/api';
import type { BookClientTotals } from '@tickfolio/api/book-frame';

/** The server's answers as the desk uses them (types only: no server code reaches the renderer). */
export type BookClient = RouterOutputs['advisor']['clients'][number];
export type ClientOverview = RouterOutputs['advisor']['client'];
export type Totals = ClientOverview['summary']['totals'];
export type HistoryPoint = RouterOutputs['portfolio']['history']['points'][number];
export type TransactionInput = RouterInputs['transactions']['add'];
export type ImportInput = RouterInputs['transactions']['import'];
export type ImportFormat = ImportInput['format'];
export type ImportMode = NonNullable<ImportInput['mode']>;
export type ImportReport = RouterOutputs['transactions']['import'];
export type Quote = RouterOutputs['instruments']['quote']['quotes'][number];
/** An instrument the advisor's book holds (advisor.instruments), as the quote board lists it. */
export type HeldInstrument = RouterOutputs['advisor']['instruments'][number];
export type Me = RouterOutputs['auth']['me'];
export type BookFrame = BookChangedEvent;
/** A client of a book frame, made whole by the stream's reader (@tickfolio/api/book-frame). */
export type BookFrameClient = BookClientTotals;
export type PricesFrame = PricesChangedEvent;
