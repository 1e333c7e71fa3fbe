import type { Holding } from './domain';

/** FNV-1a over the text, 32 bits, from the given offset basis (two bases give two independent halves). */
function fnv1a32(text: string, basis: number): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * A short fingerprint of what a portfolio holds: its holdings' accounts, instruments, quantities and
 * cost bases, in any order. Two readers of one owner's holdings (a replica's index and a valuation
 * computed from the database) can tell by comparing fingerprints whether they see the same ledger,
 * without comparing the holdings themselves. 64 bits, as 16 hex digits; the halves are order-free sums
 * of per-holding hashes, so holdings need no sorting.
 */
export function holdingsDigest(
  holdings: Iterable<Pick<Holding, 'accountId' | 'instrumentId' | 'quantity' | 'costBasis'>>,
): string {
  let high = 0;
  let low = 0;
  for (const h of holdings) {
    const text = `${h.accountId}/${h.instrumentId}/${h.quantity}/${h.costBasis}`;
    high = (high + fnv1a32(text, 0x811c9dc5)) >>> 0;
    low = (low + fnv1a32(text, 0x050c5d1f)) >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
