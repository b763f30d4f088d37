import type { DispatchKey, Envelope } from '@flatrender/contracts';
import type { Bus, DispatchOptions, PublishOptions, Subscription } from '../bus/bus';

export interface RecordedMessage {
  method: 'publish' | 'dispatch';
  routingKey: string;
  envelope: Envelope;
  priority?: number;
}

/**
 * Test double of the bus for outbox tests: records what it confirms, and fails on demand (like a
 * broker that is down) or hangs (like one that never confirms).
 */
export class RecordingBus implements Bus {
  readonly sent: RecordedMessage[] = [];
  /** While set, every publish and dispatch rejects with it. */
  failWith: Error | undefined;
  /** Fails only the message with this event id (once per call), e.g. a validation error. */
  refuse = new Map<string, Error>();
  /** Delay before confirming, in ms. */
  latencyMs = 0;
  calls = 0;

  async publish(envelope: Envelope, _options?: PublishOptions): Promise<void> {
    await this.#confirm({ method: 'publish', routingKey: envelope.event_type, envelope });
  }

  async dispatch(routingKey: DispatchKey, envelope: Envelope, options?: DispatchOptions): Promise<void> {
    await this.#confirm({
      method: 'dispatch',
      routingKey,
      envelope,
      ...(options?.priority !== undefined ? { priority: options.priority } : {}),
    });
  }

  async subscribe(): Promise<Subscription> {
    throw new Error('RecordingBus does not deliver');
  }

  async close(): Promise<void> {}

  async #confirm(message: RecordedMessage): Promise<void> {
    this.calls++;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.failWith) throw this.failWith;
    const refusal = this.refuse.get(message.envelope.event_id);
    if (refusal) throw refusal;
    this.sent.push(message);
  }
}
