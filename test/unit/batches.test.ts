import fc from 'fast-check';
import { groupBy, inBatches } from '../../src/store/batches';

async function* streamOf<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('inBatches', () => {
  it('yields full batches in order, then the shorter rest, and nothing for an empty stream', async () => {
    expect(await collect(inBatches(streamOf([1, 2, 3, 4, 5]), 2))).toEqual([[1, 2], [3, 4], [5]]);
    expect(await collect(inBatches(streamOf([1, 2]), 2))).toEqual([[1, 2]]);
    expect(await collect(inBatches(streamOf([]), 3))).toEqual([]);
  });

  it('loses and repeats nothing, and no batch is larger than asked', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer()), fc.integer({ min: 1, max: 20 }), async (items, size) => {
        const batches = await collect(inBatches(streamOf(items), size));
        expect(batches.flat()).toEqual(items);
        expect(batches.every((b) => b.length >= 1 && b.length <= size)).toBe(true);
        expect(batches.slice(0, -1).every((b) => b.length === size)).toBe(true);
      }),
    );
  });
});

describe('groupBy', () => {
  it('groups by key in the order keys are first seen, each group in input order', () => {
    const groups = groupBy([3, 10, 4, 13, 20, 1], (n) => n % 10);
    expect([...groups]).toEqual([
      [3, [3, 13]],
      [0, [10, 20]],
      [4, [4]],
      [1, [1]],
    ]);
  });

  it('loses and adds nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 })), fc.integer({ min: 1, max: 7 }), (items, mod) => {
        const groups = groupBy(items, (n) => n % mod);
        expect([...groups.values()].flat().sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
        for (const [key, group] of groups) expect(group.every((n) => n % mod === key)).toBe(true);
      }),
    );
  });
});
