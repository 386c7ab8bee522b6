// A form body starts with a field name and "=" (payload=%7B...): JSON, XML and NDJSON never do.
const FORM_RE = /^[A-Za-z_][\w.[\]%-]*=/;

/** True when a document is an application/x-www-form-urlencoded body (Lightspeed X-Series webhooks). */
export function isFormBody(head: string): boolean {
  return FORM_RE.test(head.trimStart());
}

/**
 * Turns a form-encoded webhook body into a JSON object of its fields, so the JSON normalisers read it:
 * Lightspeed X-Series sends the sale as JSON text in the `payload` field.
 */
export function formBodyToJson(body: string): string {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body.trim())) fields[key] = value;
  return JSON.stringify(fields);
}
