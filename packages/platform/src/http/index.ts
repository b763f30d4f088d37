export * from './health.routes';
export * from './http-error';
export * from './http-server';
export * from './openapi';
export * from './rate-limit';
