import { barChart } from './bar-chart.block';
import type { AnyBlock } from './block.types';
import { countdown } from './countdown.block';
import { counter } from './counter.block';
import { deviceMockup } from './device-mockup.block';
import { eventCard } from './event-card.block';
import { kineticType } from './kinetic-type.block';
import { logoReveal } from './logo-reveal.block';
import { lowerThird } from './lower-third.block';
import { outro } from './outro.block';
import { quote } from './quote.block';
import { slideshow } from './slideshow.block';
import { titleCard } from './title-card.block';

/** Generation 1 blocks. Once released, a block's drawing never changes within its generation. */
const GENERATION_1: readonly AnyBlock[] = [
  titleCard,
  logoReveal,
  kineticType,
  quote,
  lowerThird,
  slideshow,
  barChart,
  counter,
  deviceMockup,
  outro,
  countdown,
  eventCard,
];

const generations = new Map<number, Map<string, AnyBlock>>([
  [1, new Map(GENERATION_1.map((b) => [b.id, b]))],
]);

export function getBlock(generation: number, id: string): AnyBlock | undefined {
  return generations.get(generation)?.get(id);
}

export function listBlocks(generation: number): AnyBlock[] {
  return [...(generations.get(generation)?.values() ?? [])];
}
