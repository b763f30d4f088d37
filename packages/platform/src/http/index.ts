export * from './health.routes';
export * from './http-error';
export * from './http-server';
