import type { Timestamp } from '@poshub/model';

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Why a timestamp could not be read. */
export interface TimestampError {
  code: 'time.invalid';
  message: string;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function validParts(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 60) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d >= 1 && d <= days;
}

/** Offset of an IANA zone at a UTC instant, in minutes east of UTC. */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

/** True when `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/**
 * Reads a timestamp as sources write it: ISO 8601 with or without offset, "YYYY-MM-DD hh:mm:ss", fractions
 * up to nanoseconds. Without an offset the time is local to the store: with `zone` the instant is computed
 * (source "assumed-store-tz"), else it stays unknown. `assumeUtc` is for sources documented to send UTC.
 */
export function parseTimestamp(
  raw: string,
  opts: { zone?: string | undefined; assumeUtc?: boolean } = {},
): { ok: true; value: Timestamp } | { ok: false; error: TimestampError } {
  const m = ISO_RE.exec(raw.trim());
  if (!m) return { ok: false, error: { code: 'time.invalid', message: `"${raw}" is not a date and time` } };
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const s = Number(m[6] ?? 0);
  if (!validParts(y, mo, d, h, mi, s)) {
    return { ok: false, error: { code: 'time.invalid', message: `"${raw}" is not a valid date and time` } };
  }
  const fraction = m[7] ? `.${m[7]}` : '';
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const wallMs = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
  const offsetText =
    m[8]?.toUpperCase() === 'Z' ? '+00:00' : m[8]?.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const local = `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${fraction}`;
  if (offsetText || opts.assumeUtc) {
    const offset = offsetText ?? '+00:00';
    const minutes =
      (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
    const utc = new Date(wallMs - minutes * 60000).toISOString();
    return {
      ok: true,
      value: { raw, local, offset, utc, source: offsetText ? 'explicit' : 'assumed-store-tz' },
    };
  }
  if (opts.zone) {
    let guess = wallMs - zoneOffsetMinutes(opts.zone, wallMs) * 60000;
    guess = wallMs - zoneOffsetMinutes(opts.zone, guess) * 60000;
    const offset = formatOffset(zoneOffsetMinutes(opts.zone, guess));
    return {
      ok: true,
      value: { raw, local, offset, utc: new Date(guess).toISOString(), source: 'assumed-store-tz' },
    };
  }
  return { ok: true, value: { raw, local, source: 'unknown' } };
}

/**
 * The store's calendar date for a timestamp, used as a derived business day where the source has none:
 * the date at the store (in `zone` when given, else as written).
 */
export function derivedBusinessDay(ts: Timestamp, zone?: string): string {
  if (zone && ts.utc) {
    const ms = Date.parse(ts.utc);
    const local = new Date(ms + zoneOffsetMinutes(zone, ms) * 60000);
    return local.toISOString().slice(0, 10);
  }
  return (ts.local ?? ts.utc ?? ts.raw).slice(0, 10);
}

/** The instant of a timestamp for a CloudEvents `time`, when it is known. */
export function eventTime(ts: Timestamp | undefined): string | undefined {
  return ts?.utc;
}
