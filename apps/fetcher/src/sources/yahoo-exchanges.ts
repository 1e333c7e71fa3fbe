import type { CurrencyCode } from '@tickfolio/core';

/**
 * Yahoo's exchange codes (the `exchange` of its search results) as the catalogue names exchanges (ISO
 * 10383 MICs, as the demo catalogue does) with the currency their listings trade in. The currency here is
 * only the fallback: the lookup reads a listing's currency from Yahoo's chart (meta.currency), which is
 * right for the odd listing in another currency; this table answers when the chart does not.
 */
export const YAHOO_EXCHANGES: Readonly<Record<string, { mic: string; currency: CurrencyCode }>> = {
  NMS: { mic: 'XNAS', currency: 'USD' },
  NGM: { mic: 'XNAS', currency: 'USD' },
  NCM: { mic: 'XNAS', currency: 'USD' },
  NAS: { mic: 'XNAS', currency: 'USD' },
  NYQ: { mic: 'XNYS', currency: 'USD' },
  ASE: { mic: 'XASE', currency: 'USD' },
  PCX: { mic: 'ARCX', currency: 'USD' },
  BTS: { mic: 'BATS', currency: 'USD' },
  GER: { mic: 'XETR', currency: 'EUR' },
  FRA: { mic: 'XFRA', currency: 'EUR' },
  AMS: { mic: 'XAMS', currency: 'EUR' },
  PAR: { mic: 'XPAR', currency: 'EUR' },
  BRU: { mic: 'XBRU', currency: 'EUR' },
  MIL: { mic: 'XMIL', currency: 'EUR' },
  MCE: { mic: 'XMAD', currency: 'EUR' },
  LSE: { mic: 'XLON', currency: 'GBP' },
  EBS: { mic: 'XSWX', currency: 'CHF' },
  TOR: { mic: 'XTSE', currency: 'CAD' },
  NSI: { mic: 'XNSE', currency: 'INR' },
  BSE: { mic: 'XBOM', currency: 'INR' },
  TYO: { mic: 'XTKS', currency: 'JPY' },
  HKG: { mic: 'XHKG', currency: 'HKD' },
  ASX: { mic: 'XASX', currency: 'AUD' },
};
