import type { Instrument } from '@tickfolio/core';

/** An instrument as the API shows it: identifiers flattened, its symbol at each source. */
export function instrumentView(i: Instrument) {
  return {
    id: i.id,
    symbol: i.symbol,
    name: i.name,
    assetClass: i.assetClass,
    currency: i.currency,
    exchange: i.exchange,
    isin: i.identifiers.isin ?? null,
    amfiCode: i.identifiers.amfiCode ?? null,
    /** The instrument's symbol at each data source, e.g. { yahoo: 'MUV2.DE' }. */
    sources: { ...(i.identifiers.sources ?? {}) },
    /** 'manual': priced by hand (see instruments.setManualPrice); 'market': by the data sources. */
    priceSource: i.priceSource ?? 'market',
    liability: i.liability ?? false,
  };
}

export type InstrumentView = ReturnType<typeof instrumentView>;
