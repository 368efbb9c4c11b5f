import { describe, expect, it } from 'vitest';
import { sparkPath } from './sparkline';

describe('sparkPath', () => {
  it('spans the width by time and puts 1 at the top and 0 at the bottom', () => {
    const xy = sparkPath([{ t: 0, value: 1 }, { t: 10, value: 0.5 }, { t: 20, value: 0 }], 100, 24, 2);
    expect(xy).toEqual([[0, 2], [50, 12], [100, 22]]);
  });

  it('stretches the scale to an overspent budget below zero', () => {
    const xy = sparkPath([{ t: 0, value: 1 }, { t: 1, value: -1 }], 10, 22, 1);
    expect(xy).toEqual([[0, 1], [10, 21]]);
  });

  it('centres a single point and draws nothing without points', () => {
    expect(sparkPath([{ t: 5, value: 1 }], 96, 22)).toEqual([[48, 2]]);
    expect(sparkPath([], 96, 22)).toEqual([]);
  });
});
