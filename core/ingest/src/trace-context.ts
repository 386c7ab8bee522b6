/** W3C Trace Context of a request, as carried with its events to every connector. */
export interface TraceContext {
  traceparent?: string;
  tracestate?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;

/**
 * The trace context of a request's headers, or undefined. Per the W3C recommendation a malformed
 * `traceparent` (bad shape, version ff, an all-zero trace or parent id) is ignored rather than refused, and
 * `tracestate` only travels with a valid `traceparent`; it is capped at 512 characters, as the spec
 * allows a vendor to truncate.
 */
export function traceContextOf(header: (name: string) => string | undefined): TraceContext | undefined {
  const traceparent = header('traceparent')?.trim().toLowerCase();
  if (!traceparent) return undefined;
  const m = TRACEPARENT.exec(traceparent);
  if (!m || m[1] === 'ff' || /^0+$/.test(m[2]!) || /^0+$/.test(m[3]!)) return undefined;
  // Version 00 has exactly four fields; later versions may append more, which we keep as sent.
  if (m[1] === '00' && m[5] !== undefined) return undefined;
  const tracestate = header('tracestate')?.trim();
  return { traceparent, ...(tracestate && tracestate.length <= 512 ? { tracestate } : {}) };
}

/** `{ trace }` for an ingest item when the request carries a valid trace context, else `{}`. */
export function traceFieldOf(header: (name: string) => string | undefined): { trace?: TraceContext } {
  const trace = traceContextOf(header);
  return trace ? { trace } : {};
}
