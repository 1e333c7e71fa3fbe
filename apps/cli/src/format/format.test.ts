import { describe, expect, it } from 'vitest';
import { drawChart } from './chart';
import { barCells, compareDecimal, difference, fromScaled, signed, signOf, toScaled } from './decimal';
import { displayWidth } from './width';

describe('decimal helpers', () => {
  it('scale and compare exactly, beyond what a float can tell apart', () => {
    expect(toScaled('-12.345', 2)).toBe(-1234n);
    expect(fromScaled(-1234n, 2)).toBe('-12.34');
    expect(fromScaled(5n, 3)).toBe('0.005');
    expect(compareDecimal('9007199254740993.1', '9007199254740993.09')).toBe(1);
    expect(compareDecimal('1.50', '1.5')).toBe(0);
    expect(difference('224.52', '226.13')).toBe('-1.61');
  });

  it('sign and bar lengths', () => {
    expect(signOf('-0.01')).toBe(-1);
    expect(signOf(null)).toBe(0);
    expect(signed('1.20')).toBe('+1.20');
    expect(signed('-1.20')).toBe('-1.20');
    expect(barCells('50.00', '100', 24)).toBe(12);
    expect(barCells('100.00', '100', 24)).toBe(24);
    expect(barCells('0.00', '100', 24)).toBe(0);
  });
});

describe('drawChart', () => {
  it('buckets many points into the width, keeping the last of each bucket', () => {
    const picture = drawChart({ prices: ['1', '2', '3', '4', '5', '6'], width: 3, height: 1 });
    expect(picture.pointOfColumn).toEqual([1, 3, 5]);
    expect(picture.high).toBe('6');
    expect(picture.low).toBe('1');
  });

  it('gives equal spans of time equal room when given the times', () => {
    const day = 86_400_000;
    // Three prices: two a day apart, then one eight days later. The first day takes a ninth of the width.
    const picture = drawChart({ prices: ['1', '2', '3'], times: [0, day, 9 * day], width: 9, height: 1 });
    expect(picture.pointOfColumn).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
    // By index the same prices would take a third each.
    expect(drawChart({ prices: ['1', '2', '3'], width: 9, height: 1 }).pointOfColumn).toEqual([
      0, 0, 0, 1, 1, 1, 2, 2, 2,
    ]);
  });

  it('draws a flat line mid-height', () => {
    expect(drawChart({ prices: ['7.5', '7.5'], width: 2, height: 2 }).rows).toEqual(['  ', '██']);
  });
});

describe('displayWidth', () => {
  it('counts emoji and CJK as two columns', () => {
    expect(displayWidth('ab')).toBe(2);
    expect(displayWidth('🤓')).toBe(2);
    expect(displayWidth('株式')).toBe(4);
  });
});
