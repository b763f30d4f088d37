export * from './envelope.factory';
export * from './service-definition';
export * from './service-host';
