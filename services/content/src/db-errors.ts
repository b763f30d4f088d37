const UNIQUE_VIOLATION = '23505';

/** A PostgreSQL unique-constraint violation (same on pg and PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === UNIQUE_VIOLATION;
}
