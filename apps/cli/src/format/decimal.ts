/**
 * The little decimal arithmetic a display needs, on the server's decimal strings as scaled bigints:
 * comparing two amounts (which way a value moved), the sign of a change, and bar lengths. Amounts are
 * shown exactly as the server sent them; nothing here turns them into floats.
 */

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** text × 10^scale, truncated toward zero; throws on anything that is not a plain decimal. */
export function toScaled(text: string, scale: number): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new Error(`not a decimal: ${text}`);
  const [, sign, whole, fraction = ''] = match;
  const digits = `${whole}${fraction.padEnd(scale, '0').slice(0, scale)}`;
  const units = BigInt(digits);
  return sign === '-' ? -units : units;
}

/** Scaled units back to text with exactly `scale` places. */
export function fromScaled(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

function placesOf(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** -1, 0 or 1; exact for any number of decimal places. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const scale = Math.max(placesOf(a), placesOf(b));
  const x = toScaled(a, scale);
  const y = toScaled(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function signOf(text: string | null | undefined): -1 | 0 | 1 {
  if (text == null || !isDecimal(text)) return 0;
  return compareDecimal(text, '0');
}

/** round(part / whole × cells) for a bar, with part and whole as decimal strings; 0 when whole ≤ 0. */
export function barCells(part: string, whole: string, cells: number): number {
  const scale = Math.max(placesOf(part), placesOf(whole));
  const p = toScaled(part, scale);
  const w = toScaled(whole, scale);
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
  const scale = Math.max(placesOf(a), placesOf(b));
  return fromScaled(toScaled(a, scale) - toScaled(b, scale), scale);
}
