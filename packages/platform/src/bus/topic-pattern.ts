/**
 * AMQP topic matching: words are separated by dots, `*` stands for exactly one word and `#` for zero
 * or more. The in-process broker routes with it and `subscribe` checks bindings with it, so it must
 * agree with RabbitMQ's own matcher (the contract suite runs the same bindings on both).
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), 0, routingKey.split('.'), 0);
}

function matchWords(pattern: string[], p: number, key: string[], k: number): boolean {
  if (p === pattern.length) return k === key.length;
  const word = pattern[p];
  if (word === '#') {
    for (let next = k; next <= key.length; next++) {
      if (matchWords(pattern, p + 1, key, next)) return true;
    }
    return false;
  }
  if (k === key.length) return false;
  return (word === '*' || word === key[k]) && matchWords(pattern, p + 1, key, k + 1);
}
