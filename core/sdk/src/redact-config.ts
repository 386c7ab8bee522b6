import type { z } from 'zod';
import { mapSecrets } from './map-secrets.ts';

/** What a secret looks like wherever config is shown. */
export const REDACTED_SECRET = '[secret]';

/**
 * The config with every `secret()` value replaced by "[secret]": the only form of a connector's config
 * that may be logged, printed or returned by an API.
 *
 * @example
 * redactConfig(WebhookConfig, config) // { url: 'https://…', secrets: ['[secret]', '[secret]'] }
 */
export function redactConfig<T>(schema: z.ZodType, config: T): T {
  return mapSecrets(schema, config, () => REDACTED_SECRET) as T;
}

/**
 * The secret strings in a config (leaves of `secret()` values, 8 characters or more), for scrubbing them
 * from free text such as log messages and error messages.
 */
export function secretValues(schema: z.ZodType, config: unknown): string[] {
  const found = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length >= 8) found.add(value);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  mapSecrets(schema, config, (value) => {
    collect(value);
    return value;
  });
  return [...found];
}
