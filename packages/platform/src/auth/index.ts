export * from './access-token';
export * from './api-key-exchanger';
export * from './authenticate';
export * from './deny-list';
export * from './identity-key-set';
export * from './principal';
