import { z } from 'zod';

/**
 * One typed configuration field: the environment variable it reads, its default and its meaning.
 * The table of all fields is the single source of truth for configuration and for
 * docs/configuration.md (generated from it).
 */
export interface ConfigField<S extends z.ZodType = z.ZodType> {
  env: string;
  doc: string;
  schema: S;
  /** Shown in docs; the schema's own default is what applies. */
  defaultDoc?: string;
  /** Never printed in logs or error messages. */
  secret?: boolean;
}

export type ConfigShape = Record<string, ConfigField>;
export type ConfigOf<T extends ConfigShape> = { readonly [K in keyof T]: z.output<T[K]['schema']> };

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`configuration: ${variable} ${problem}`);
  }
}

const registry = new Map<string, ConfigShape>();

/** Declares a section of configuration; sections are listed together in the generated docs. */
export function defineConfig<const T extends ConfigShape>(section: string, shape: T): T {
  registry.set(section, shape);
  return shape;
}

export function configSections(): ReadonlyMap<string, ConfigShape> {
  return registry;
}

/** Reads and validates a section; the first problem stops with one line naming the variable. */
export function readConfig<T extends ConfigShape>(
  shape: T,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConfigOf<T> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const raw = env[field.env];
    const value = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
    const parsed = field.schema.safeParse(value);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]?.message ?? 'is invalid';
      const shown = field.secret || value === undefined ? '' : ` (got "${value}")`;
      throw new ConfigError(field.env, `${problem}${shown}`);
    }
    out[key] = parsed.data;
  }
  return out as ConfigOf<T>;
}

/** Schemas for common kinds of values, with messages that read well after the variable name. */
export const env = {
  url: (protocols: readonly string[]) =>
    z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` },
    ),
  /** 0 asks the system for a free port (tests). */
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(fallback),
  int: (fallback: number, min = 0) =>
    z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(min).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['1', '0', 'true', 'false', 'yes', 'no'], { message: 'must be true or false' })
      .transform((v) => v === '1' || v === 'true' || v === 'yes')
      .optional()
      .transform((v) => v ?? fallback),
  list: <T extends string>(allowed: readonly T[], fallback: readonly T[]) =>
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return [...fallback];
        const items = v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        for (const item of items) {
          if (!allowed.includes(item as T)) {
            ctx.addIssue({
              code: 'custom',
              message: `has unknown value "${item}"; allowed: ${allowed.join(', ')}`,
            });
            return z.NEVER;
          }
        }
        return items as T[];
      }),
};
