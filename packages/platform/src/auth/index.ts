export * from './access-token';
export * from './authenticate';
export * from './principal';
