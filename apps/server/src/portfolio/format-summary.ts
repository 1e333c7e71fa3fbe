import { type PortfolioValuation, presentPortfolioValuation } from '@tickfolio/core';

/** A plain-text portfolio summary for the terminal: totals, allocation, then the holdings table. */
export function formatPortfolioSummary(
  title: string,
  valuation: PortfolioValuation,
  symbols: ReadonlyMap<string, string>,
): string {
  // Largest position first, compared exactly on the unrounded values.
  const holdings = [...valuation.holdings].sort((a, b) =>
    a.marketValue === b.marketValue ? 0 : a.marketValue > b.marketValue ? -1 : 1,
  );
  const v = presentPortfolioValuation({ ...valuation, holdings });
  const t = v.totals;
  const pct = (p: string | null) => (p === null ? '' : ` (${/^-|^0(\.0+)?$/.test(p) ? '' : '+'}${p} %)`);
  const lines = [
    title,
    `  Market value   ${t.marketValue} ${t.currency}`,
    `  Cost basis     ${t.costBasis} ${t.currency}`,
    `  Unrealized     ${t.unrealizedGain} ${t.currency}${pct(t.unrealizedGainPercent)}`,
    `  Day change     ${t.dayChange} ${t.currency}${pct(t.dayChangePercent)}`,
    `  By asset class ${v.allocation.assetClass.map((s) => `${s.key} ${s.weightPercent} %`).join(', ')}`,
    `  By currency    ${v.allocation.currency.map((s) => `${s.key} ${s.weightPercent} %`).join(', ')}`,
    '',
  ];
  const rows = v.holdings.map((h) => [
    symbols.get(h.instrumentId) ?? h.instrumentId,
    h.quantity,
    h.price === null ? '—' : `${h.price} ${h.localCurrency}`,
    `${h.marketValue} ${t.currency}`,
    `${h.dayChange}`,
    `${h.weightPercent} %`,
  ]);
  const header = ['Symbol', 'Quantity', 'Price', 'Value', 'Day', 'Weight'];
  const widths = header.map((hd, i) => Math.max(hd.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  lines.push(fmt(header), ...rows.map(fmt));
  if (v.missing.prices.length || v.missing.fxPairs.length) {
    lines.push(
      '',
      `  Missing: prices ${v.missing.prices.join(', ') || 'none'}; FX ${v.missing.fxPairs.join(', ') || 'none'}`,
    );
  }
  return lines.join('\n');
}
