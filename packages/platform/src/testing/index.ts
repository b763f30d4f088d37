export * from './rabbitmq-vhost';
export * from './real-services';
export * from './service-harness';
export * from './test-database';
export * from './test-s3';
