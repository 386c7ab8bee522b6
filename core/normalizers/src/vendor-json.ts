/**
 * JSON as vendors send it, parsed without ever turning a number into a float: every JSON number becomes
 * its exact source text ("39.95", "1e3", "450789469"), so money and ids keep every digit.
 */
export type VendorJson = string | boolean | null | VendorJson[] | { [key: string]: VendorJson };

export type VendorJsonResult =
  | { ok: true; value: VendorJson }
  | { ok: false; message: string; offset?: number };

/** Parses JSON text, keeping numbers as their source text (uses JSON.parse source text access). */
export function parseVendorJson(text: string): VendorJsonResult {
  try {
    const value = JSON.parse(text, function reviver(
      this: unknown,
      _key: string,
      value: unknown,
      context?: { source?: string },
    ) {
      if (typeof value === 'number') return context?.source ?? String(value);
      return value;
    } as Parameters<typeof JSON.parse>[1]) as VendorJson;
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = /position (\d+)/.exec(message)?.[1];
    return offset === undefined ? { ok: false, message } : { ok: false, message, offset: Number(offset) };
  }
}

/** Narrowing helpers for vendor JSON. */
export function isObject(value: VendorJson | undefined): value is { [key: string]: VendorJson } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as an array: vendors flip between a single object and an array by cardinality. */
export function asArray(value: VendorJson | undefined): VendorJson[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A scalar as text ("3" and 3 are the same id); undefined for objects, arrays, null and empty strings. */
export function asText(value: VendorJson | undefined): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/** Booleans as vendors write them: true, "true", "T", "1", "yes". */
export function asBool(value: VendorJson | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  if (['true', 't', '1', 'yes', 'y'].includes(v)) return true;
  if (['false', 'f', '0', 'no', 'n'].includes(v)) return false;
  return undefined;
}
