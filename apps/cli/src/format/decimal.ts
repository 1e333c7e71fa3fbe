import { decimalStringSchema, formatDecimal, parseDecimal, parseDecimalRounded } from '@tickfolio/core';

/**
 * The little decimal arithmetic a display needs, on the server's decimal strings, with core's exact
 * scaled bigints: comparing two amounts (which way a value moved), the sign of a change, and bar
 * lengths. Amounts are shown exactly as the server sent them; nothing here turns them into floats.
 */

/** A plain decimal such as the server sends and accepts ("12", "-0.5"). */
export function isDecimal(text: string): boolean {
  return decimalStringSchema.safeParse(text).success;
}

/** text × 10^scale; places beyond `scale` round half to even. */
export function toScaled(text: string, scale: number): bigint {
  return parseDecimalRounded(text, scale);
}

/** Scaled units back to text with exactly `scale` places. */
export function fromScaled(units: bigint, scale: number): string {
  return formatDecimal(units, scale, scale);
}

/** How many decimal places a plain decimal string has. */
export function placesOf(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** Both amounts at the scale of the one with more places, so neither is rounded. */
function scaledAlike(a: string, b: string): { a: bigint; b: bigint; scale: number } {
  const scale = Math.max(placesOf(a), placesOf(b));
  return { a: parseDecimal(a, scale), b: parseDecimal(b, scale), scale };
}

/** -1, 0 or 1; exact for any number of decimal places. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const x = scaledAlike(a, b);
  return x.a < x.b ? -1 : x.a > x.b ? 1 : 0;
}

export function signOf(text: string | null | undefined): -1 | 0 | 1 {
  if (text == null || !isDecimal(text)) return 0;
  return compareDecimal(text, '0');
}

/** round(part / whole × cells), halves up, for a bar; 0 when whole ≤ 0. */
export function barCells(part: string, whole: string, cells: number): number {
  const { a: p, b: w } = scaledAlike(part, whole);
  if (w <= 0n || p <= 0n) return 0;
  const n = (p * BigInt(cells) * 2n + w) / (2n * w);
  return Number(n > BigInt(cells) ? BigInt(cells) : n);
}

/** "+1.20" for positive changes (the server sends negatives with their sign already). */
export function signed(text: string): string {
  return signOf(text) > 0 ? `+${text}` : text;
}

/** a − b, exactly, with as many places as the longer of the two. */
export function difference(a: string, b: string): string {
  const x = scaledAlike(a, b);
  return fromScaled(x.a - x.b, x.scale);
}
