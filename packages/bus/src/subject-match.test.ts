import { describe, expect, it } from 'vitest';
import { subjectMatches } from './subject-match';

describe('subjectMatches', () => {
  it('follows the NATS wildcard rules', () => {
    expect(subjectMatches('portfolio.>', 'portfolio.changed.a')).toBe(true);
    expect(subjectMatches('portfolio.>', 'portfolio')).toBe(false);
    expect(subjectMatches('portfolio.changed.*', 'portfolio.changed.a')).toBe(true);
    expect(subjectMatches('portfolio.changed.*', 'portfolio.changed.a.b')).toBe(false);
    expect(subjectMatches('portfolio.changed.a', 'portfolio.changed.a')).toBe(true);
    expect(subjectMatches('portfolio.changed.a', 'portfolio.changed.b')).toBe(false);
    expect(subjectMatches('portfolio.*.a', 'portfolio.price.a')).toBe(true);
  });
});
