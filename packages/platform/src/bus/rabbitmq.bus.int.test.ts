import { Connection, type SyncMessage } from 'rabbitmq-client';
import { createTestVhost, describeWithServices } from '../testing';
import { busContract } from './bus.contract';
import { createBus } from './create-bus';

await describeWithServices(['rabbitmq'], 'RabbitMqBus against a real broker', () => {
  busContract(async () => {
    const vhost = await createTestVhost();
    const raw = new Connection(vhost.url);
    // The harness connection is dropped along with the buses' by `dropConnections`; it reconnects.
    raw.on('error', () => {});
    const publisher = raw.createPublisher({ confirm: true, maxAttempts: 5 });
    return {
      createBus: (options) => createBus({ ...options, amqpUrl: vhost.url, connectionName: 'bus-contract' }),
      publishRaw: async ({ exchange, routingKey, content, headers, contentType, contentEncoding }) => {
        await publisher.send(
          {
            exchange,
            routingKey,
            durable: true,
            headers: headers ?? {},
            ...(contentType ? { contentType } : {}),
            ...(contentEncoding ? { contentEncoding } : {}),
          },
          Buffer.from(content, 'utf8'),
        );
      },
      get: async (queue) => {
        const message = (await raw.basicGet({ queue, noAck: true })) as
          | (SyncMessage & { deliveryMode?: number })
          | undefined;
        if (!message) return undefined;
        const body: unknown = message.body;
        return {
          exchange: message.exchange,
          routingKey: message.routingKey,
          content: Buffer.isBuffer(body)
            ? body.toString('utf8')
            : typeof body === 'string'
              ? body
              : JSON.stringify(body),
          headers: message.headers ?? {},
          ...(message.contentType ? { contentType: message.contentType } : {}),
          ...(message.contentEncoding ? { contentEncoding: message.contentEncoding } : {}),
          ...(message.deliveryMode !== undefined ? { deliveryMode: message.deliveryMode } : {}),
          ...(message.priority !== undefined ? { priority: message.priority } : {}),
        };
      },
      messageCount: async (queue) => (await raw.queueDeclare({ queue, passive: true })).messageCount,
      queueExists: async (queue) => {
        try {
          await raw.queueDeclare({ queue, passive: true });
          return true;
        } catch (error) {
          // An exclusive queue of another connection exists but answers RESOURCE_LOCKED.
          if ((error as { code?: string }).code === 'RESOURCE_LOCKED') return true;
          if ((error as { code?: string }).code === 'NOT_FOUND') return false;
          throw error;
        }
      },
      dropConnections: () => vhost.closeConnections(),
      close: async () => {
        await publisher.close();
        await raw.close();
        await vhost.drop();
      },
    };
  });
});
