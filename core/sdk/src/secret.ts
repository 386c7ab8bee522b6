import { globalRegistry, type z } from 'zod';

/**
 * Marks a config field as a secret: `redactConfig` shows it as "[secret]", the connector logger scrubs its
 * value, and config problems never echo it. Kept as zod metadata (`secret: true`, `writeOnly: true`), so it
 * survives `.describe()`, `.optional()` and appears in the JSON Schema of the config.
 *
 * @example
 * const Config = z.object({ apiKey: secret(z.string().min(20)) });
 */
export function secret<S extends z.ZodType>(schema: S): S {
  return schema.meta({ secret: true, writeOnly: true }) as S;
}

/** Whether a schema (not its children) is marked with `secret()`. */
export function isSecret(schema: z.ZodType): boolean {
  return globalRegistry.get(schema)?.['secret'] === true;
}
