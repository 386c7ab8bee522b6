import type { z } from 'zod';
import { isSecret } from './secret.ts';

// The parts of zod's schema definitions the walk needs (zod 4 `_zod.def`).
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  rest?: z.ZodType | null;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `value` (read as `schema` describes it) with every value under a `secret()` schema replaced by
 * `onSecret(value)`. Works on raw and parsed config alike; where it cannot tell (a union), it errs towards
 * treating a value as secret.
 */
export function mapSecrets(
  schema: z.ZodType,
  value: unknown,
  onSecret: (value: unknown) => unknown,
): unknown {
  return walk(schema, value, onSecret, 0);
}

function walk(schema: z.ZodType, value: unknown, onSecret: (v: unknown) => unknown, depth: number): unknown {
  if (value === undefined || depth > 64) return value;
  if (isSecret(schema)) return onSecret(value);
  const def = defOf(schema);
  const next = (s: z.ZodType | undefined | null, v: unknown) => (s ? walk(s, v, onSecret, depth + 1) : v);
  switch (def.type) {
    case 'object': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const field = def.shape?.[key];
        out[key] = field ? next(field, v) : next(def.catchall, v);
      }
      return out;
    }
    case 'record':
      if (!isRecord(value)) return value;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, next(def.valueType, v)]));
    case 'array':
      return Array.isArray(value) ? value.map((v) => next(def.element, v)) : value;
    case 'tuple':
      return Array.isArray(value) ? value.map((v, i) => next(def.items?.[i] ?? def.rest, v)) : value;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      return value === null ? value : next(def.innerType, value);
    case 'pipe':
      return next(def.out, next(def.in, value));
    case 'lazy':
      return next(def.getter?.(), value);
    case 'intersection':
      return next(def.right, next(def.left, value));
    case 'union': {
      const options = def.options ?? [];
      if (options.some((o) => isSecret(o)) && !isRecord(value)) return onSecret(value);
      return options.reduce<unknown>((v, o) => next(o, v), value);
    }
    default:
      return value;
  }
}
