import { asText, isObject, parseVendorJson } from '../vendor-json.ts';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The key/value pairs of a Terminal API `AdditionalResponse`: form-encoded text ("tid=75039202&AID=...")
 * or Base64 of a JSON object (its `additionalData` entries and top-level text values). Undefined when it is
 * neither.
 */
export function parseAdditionalResponse(text: string): Map<string, string> | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return new Map();
  if (BASE64.test(trimmed) && trimmed.length % 4 === 0) {
    const decoded = fromBase64Json(trimmed);
    if (decoded) return decoded;
  }
  if (!trimmed.includes('=')) return undefined;
  const pairs = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(trimmed)) pairs.set(key, value);
  return pairs;
}

function fromBase64Json(text: string): Map<string, string> | undefined {
  const parsed = parseVendorJson(Buffer.from(text, 'base64').toString('utf8'));
  if (!parsed.ok || !isObject(parsed.value)) return undefined;
  const pairs = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed.value)) {
    const scalar = asText(value);
    if (scalar !== undefined) pairs.set(key, scalar);
  }
  const extra = parsed.value.additionalData;
  if (isObject(extra)) {
    for (const [key, value] of Object.entries(extra)) {
      const scalar = asText(value);
      if (scalar !== undefined) pairs.set(key, scalar);
    }
  }
  return pairs;
}
