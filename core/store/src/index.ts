export * from './append-events.ts';
export * from './group-commit.ts';
export * from './migrate.ts';
export * from './open-database.ts';
export * from './pglite-dialect.ts';
export * from './schema.ts';
