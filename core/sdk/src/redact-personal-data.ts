/** What replaces personal data in logs and error messages. */
export const REDACTED_PERSONAL = '[redacted]';

const PERSONAL_KEYS = new Set([
  'email',
  'emailaddress',
  'mail',
  'phone',
  'phonenumber',
  'mobile',
  'mobilephone',
  'telephone',
  'fax',
  'name',
  'firstname',
  'middlename',
  'lastname',
  'givenname',
  'familyname',
  'surname',
  'fullname',
  'displayname',
  'customername',
  'address',
  'addressline1',
  'addressline2',
  'street',
  'streetaddress',
  'postalcode',
  'postcode',
  'zipcode',
  'birthdate',
  'dateofbirth',
]);
const SECRET_KEY =
  /(password|passwd|secrets?|tokens?|authorization|cookie|apikey|privatekey|signature|assertion)$/;

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;
// International numbers only ("+" first): bare digit runs are far more often ids, amounts and dates.
const PHONE = /\+\d[\d ().-]{6,}\d/g;
const BEARER = /\b(bearer|basic)\s+[a-z0-9._~+/=-]{8,}/gi;

const normalise = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Free text with e-mail addresses, international phone numbers, credentials and the given secrets removed. */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.replaceAll(s, '[secret]');
  return out.replace(BEARER, '$1 [secret]').replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/**
 * A copy of structured log fields fit for a log: values under personal keys (e-mail, phone, names,
 * addresses) become "[redacted]", under credential keys "[secret]", and free text is scrubbed; errors keep
 * their name and message, never their stack.
 */
export function redactPersonalData(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : typeof value === 'function' ? undefined : value;
  }
  if (depth > 8) return '[truncated]';
  if (value instanceof Error) return { name: value.name, message: scrubText(value.message, secrets) };
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Headers) return redactPersonalData(Object.fromEntries(value), secrets, depth);
  if (Array.isArray(value)) return value.map((v) => redactPersonalData(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const k = normalise(key);
    out[key] = SECRET_KEY.test(k)
      ? '[secret]'
      : PERSONAL_KEYS.has(k)
        ? REDACTED_PERSONAL
        : redactPersonalData(v, secrets, depth + 1);
  }
  return out;
}
