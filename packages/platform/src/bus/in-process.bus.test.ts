import { describe, expect, it } from 'vitest';
import { busContract } from './bus.contract';
import { createBus } from './create-bus';
import { InProcessBroker } from './in-process.broker';
import { InProcessBus } from './in-process.bus';

describe('InProcessBus', () => {
  busContract(async () => {
    const broker = new InProcessBroker();
    const buses: InProcessBus[] = [];
    return {
      createBus: async (options) => {
        const bus = await createBus({ ...options, broker });
        if (!(bus instanceof InProcessBus))
          throw new Error('createBus without amqpUrl must give the in-process bus');
        buses.push(bus);
        return bus;
      },
      publishRaw: async ({ exchange, routingKey, content, headers, contentType, contentEncoding }) => {
        broker.publish(exchange, routingKey, {
          content,
          headers: headers ?? {},
          properties: {
            deliveryMode: 2,
            ...(contentType ? { contentType } : {}),
            ...(contentEncoding ? { contentEncoding } : {}),
          },
        });
      },
      get: async (queue) => {
        const message = broker.get(queue);
        return (
          message && {
            exchange: message.exchange,
            routingKey: message.routingKey,
            content: message.content,
            headers: message.headers,
            ...message.properties,
          }
        );
      },
      messageCount: async (queue) => broker.messageCount(queue),
      queueExists: async (queue) => broker.hasQueue(queue),
      dropConnections: async () => {
        for (const bus of buses) bus.dropConnection();
      },
      close: async () => broker.shutdown(),
    };
  });
});

describe('InProcessBroker', () => {
  it('clones messages: a consumer never shares an object with the publisher or another queue', async () => {
    const broker = new InProcessBroker();
    broker.declareExchange({ name: 'x', type: 'fanout' });
    for (const name of ['a', 'b']) {
      broker.declareQueue({ name });
      broker.bindQueue({ queue: name, exchange: 'x', routingKey: '' });
    }
    const headers = { nested: { value: 1 } };
    broker.publish('x', '', { content: '{}', headers, properties: {} });
    headers.nested.value = 2;
    const a = broker.get('a');
    const b = broker.get('b');
    expect(a?.headers).toEqual({ nested: { value: 1 } });
    expect(a?.headers).not.toBe(b?.headers);
  });

  it('refuses to redeclare a queue or exchange with different arguments', () => {
    const broker = new InProcessBroker();
    broker.declareQueue({ name: 'q', arguments: { 'x-max-priority': 10 } });
    expect(() => broker.declareQueue({ name: 'q' })).toThrow(/different arguments/);
    broker.declareExchange({ name: 'x', type: 'topic' });
    expect(() => broker.declareExchange({ name: 'x', type: 'direct' })).toThrow(/type topic/);
  });

  it('keeps a transient queue to its own connection', () => {
    const broker = new InProcessBroker();
    broker.declareQueue({ name: 'mine', transient: true }, 'conn-a');
    expect(() => broker.consume('mine', 'conn-b', 1, () => {})).toThrow(/exclusive/);
    broker.closeConnection('conn-a');
    expect(broker.hasQueue('mine')).toBe(false);
  });
});
