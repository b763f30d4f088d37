export * from './envelope.factory';
export * from './internal-client';
export * from './service-definition';
export * from './service-host';
