import { seed32 } from '@tickfolio/core';

function hex(value: number, digits: number): string {
  return (value >>> 0)
    .toString(16)
    .padStart(8, '0')
    .slice(8 - digits);
}

/**
 * Deterministic UUID-shaped ids (RFC 4122 version-4 layout): a prefix derived from the seed and a 48-bit
 * counter. Ids of one data set are unique by construction; different seeds give different prefixes.
 */
export class IdFactory {
  private readonly prefix: string;
  private counter = 0;

  constructor(seed: number) {
    const a = seed32(seed, 101);
    const b = seed32(seed, 102);
    const c = seed32(seed, 103);
    const variant = (8 + (c >>> 30)).toString(16); // 8, 9, a or b
    this.prefix = `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-${variant}${hex(c, 3)}-`;
  }

  next(): string {
    this.counter += 1;
    return this.prefix + this.counter.toString(16).padStart(12, '0');
  }
}
