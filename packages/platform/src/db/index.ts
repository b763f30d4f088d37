export * from './create-database';
export * from './database';
export * from './migrate-service';
export * from './pglite.database';
export * from './platform.migrations';
export * from './postgres.database';
export * from './tenant-rls.check';
