import { describe, expect, it } from 'vitest';
import { labelsClearOfTag } from './axis-labels';

describe('labelsClearOfTag', () => {
  // One pixel per unit, the axis's top (price 200) at 0.
  const coordinateOf = (price: number) => 200 - price;
  const prices = [190, 170, 150, 130];
  const labels = ['190', '170', '150', '130'];

  it('leaves blank the labels the tag would cover, and only those', () => {
    // The tag's middle at price 176 (pixel 24): 190 is 14 px away, 170 is 6 px away.
    expect(labelsClearOfTag(prices, labels, coordinateOf, 24, 15)).toEqual(['', '', '150', '130']);
    expect(labelsClearOfTag(prices, labels, coordinateOf, 24, 10)).toEqual(['190', '', '150', '130']);
  });

  it('keeps every label when there is no tag or a price cannot be placed', () => {
    expect(labelsClearOfTag(prices, labels, coordinateOf, null, 15)).toEqual(labels);
    expect(labelsClearOfTag(prices, labels, () => null, 24, 15)).toEqual(labels);
  });
});
