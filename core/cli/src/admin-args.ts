import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { DELIVERY_STATUSES, type DeliveryStatus } from './admin-client.ts';
import { type Output, paint } from './output.ts';

/** Options every admin command takes: where the hub is, how to sign in, JSON out, help. */
export const ADMIN_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

/** Help lines for ADMIN_OPTIONS. */
export const ADMIN_OPTIONS_HELP = `Hub:
  --url <url>       the hub (default $POSHUB_URL, else http://127.0.0.1:$POSHUB_PORT, port 8080 by default)
  --token <jwt>     a bearer token with admin:read, and admin:write to change anything (default
                    $POSHUB_TOKEN; against the embedded default on this machine, one is minted from its
                    development issuer)
  --json            print the hub's JSON answer on stdout instead of text for people
  -h, --help        this help`;

/** Filter options shared by `dlq list` and `replay`. */
export const FILTER_OPTIONS = {
  status: { type: 'string', multiple: true },
  store: { type: 'string' },
  type: { type: 'string' },
  'error-type': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig;

/** Help lines for FILTER_OPTIONS. */
export const FILTER_OPTIONS_HELP = `  --status <s>      dead (the default), ${DELIVERY_STATUSES.filter((s) => s !== 'dead').join(', ')}
                    or all; repeat or comma-separate for several
  --store <id>      one store
  --type <type>     one event type, e.g. sale.completed.v1
  --error-type <e>  one last error type, e.g. http_400
  --from <when>     last changed at or after <when>
  --to <when>       last changed before <when>`;

/** How <when> is written. */
export const WHEN_HELP = `<when> is an ISO 8601 instant (2026-03-14T09:00:00Z; a date alone is midnight UTC) or an age
(30m, 24h, 7d).`;

type Parsed<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>
>;

/** A command-line mistake: the command prints it with its help and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parses a command's arguments. Returns the exit code instead when there is nothing more to do: 0 after
 * printing the help, 2 after printing a usage error and the help.
 */
export function parseCommand<O extends ParseArgsOptionsConfig>(
  args: string[],
  options: O,
  help: string,
  out: Output,
): Parsed<O> | 0 | 2 {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    return usage(out, (error as Error).message, help);
  }
  if ((parsed.values as { help?: boolean }).help) {
    out.info(help);
    return 0;
  }
  return parsed;
}

/** Prints a usage error and the command's help; returns exit code 2. */
export function usage(out: Output, message: string, help: string): 2 {
  out.info(`${paint(out, 'red', 'error:')} ${message}\n\n${help}`);
  return 2;
}

const AGE_UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `<when>` as an ISO instant: an ISO 8601 date or date-time, or an age before `now` (30m, 24h, 7d). */
export function parseInstant(flag: string, text: string, now = new Date()): string {
  const age = /^(\d+)([mhd])$/.exec(text);
  if (age) return new Date(now.getTime() - Number(age[1]) * AGE_UNITS[age[2]!]!).toISOString();
  const t = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(t)) {
    throw new UsageError(`--${flag} "${text}" is neither an ISO 8601 instant nor an age like 30m, 24h or 7d`);
  }
  return new Date(t).toISOString();
}

/** A whole number from 1 to `max`. */
export function parseLimit(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) {
    throw new UsageError(`--${flag} is a whole number from 1 to ${max}`);
  }
  return n;
}

/** Statuses from repeated or comma-separated --status values; `all` is every status. */
export function parseStatuses(values: readonly string[]): DeliveryStatus[] {
  const words = values.flatMap((v) => v.split(',')).map((s) => s.trim());
  if (words.includes('all')) return [...DELIVERY_STATUSES];
  const unknown = words.filter((s) => !(DELIVERY_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown status ${unknown.map((s) => `"${s}"`).join(', ')}; statuses: ${DELIVERY_STATUSES.join(', ')}, all`,
    );
  }
  return words as DeliveryStatus[];
}

/** The delivery filter from FILTER_OPTIONS values; undefined when no filter option was given. */
export function parseFilter(values: {
  status?: string[] | undefined;
  store?: string | undefined;
  type?: string | undefined;
  'error-type'?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}) {
  const filter = {
    ...(values.status ? { status: parseStatuses(values.status) } : {}),
    ...(values.store ? { store: values.store } : {}),
    ...(values.type ? { type: values.type } : {}),
    ...(values['error-type'] ? { errorType: values['error-type'] } : {}),
    ...(values.from ? { from: parseInstant('from', values.from) } : {}),
    ...(values.to ? { to: parseInstant('to', values.to) } : {}),
  };
  return Object.keys(filter).length > 0 ? filter : undefined;
}
