import { describe, expect, it } from 'vitest';
import { topicMatches } from './topic-pattern';

describe('topicMatches', () => {
  it.each([
    ['render.job.completed.v1', 'render.job.completed.v1', true],
    ['render.job.completed.v1', 'render.job.failed.v1', false],
    ['render.job.*.v1', 'render.job.completed.v1', true],
    ['render.job.*', 'render.job.completed.v1', false],
    ['render.*.v1', 'render.job.completed.v1', false],
    ['render.#', 'render.job.completed.v1', true],
    ['render.#', 'render', true],
    ['#', 'node.online.v1', true],
    ['#.v1', 'node.online.v1', true],
    ['#.v2', 'node.online.v1', false],
    ['node.#.v1', 'node.v1', true],
    ['node.#.v1', 'node.cache.updated.v1', true],
    ['*.online.v1', 'node.online.v1', true],
    ['*.*.v1', 'node.online.v1', true],
    ['*.*.*.v1', 'node.online.v1', false],
    ['#.completed.#', 'render.job.completed.v1', true],
    ['identity.#', 'render.job.completed.v1', false],
  ])('%s against %s -> %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });
});
