export * from './bus';
export { decodeDelivery, encodeDispatch, encodeEvent, type OutgoingMessage } from './bus.codec';
export { type BusMetrics, createBusMetrics, type QueueSample, type QueueSampler } from './bus.metrics';
export type { BusOptions } from './bus.options';
export * from './bus.topology';
export * from './create-bus';
export * from './in-process.broker';
export { InProcessBus, processBroker } from './in-process.bus';
export { declareTopology, RabbitMqBus, type RabbitMqBusOptions, retryQueueName } from './rabbitmq.bus';
export {
  backoffDelay,
  DEFAULT_BACKOFF,
  LAST_ERROR_HEADER,
  ORIGINAL_QUEUE_HEADER,
} from './retry.policy';
export { topicMatches } from './topic-pattern';
