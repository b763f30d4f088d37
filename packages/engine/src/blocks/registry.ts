import type { AnyBlock } from './block.types';
import { titleCard } from './title-card.block';

/** Generation 1 blocks. Once released, a block's drawing never changes within its generation. */
const GENERATION_1: readonly AnyBlock[] = [titleCard];

const generations = new Map<number, Map<string, AnyBlock>>([
  [1, new Map(GENERATION_1.map((b) => [b.id, b]))],
]);

export function getBlock(generation: number, id: string): AnyBlock | undefined {
  return generations.get(generation)?.get(id);
}

export function listBlocks(generation: number): AnyBlock[] {
  return [...(generations.get(generation)?.values() ?? [])];
}
