import {
  ADMIN_OPTIONS,
  ADMIN_OPTIONS_HELP,
  FILTER_OPTIONS,
  FILTER_OPTIONS_HELP,
  parseCommand,
  parseFilter,
  parseLimit,
  UsageError,
  usage,
  WHEN_HELP,
} from './admin-args.ts';
import type { DeliveryQuery } from './admin-client.ts';
import { connectAdmin } from './admin-connection.ts';
import { formatTable, shortInstant, statusStyle } from './format-table.ts';
import { type Output, paint } from './output.ts';
import { printAdminFailure } from './print-admin-failure.ts';

export const DLQ_LIST_HELP = `Usage: pnpm poshub dlq list [options]

Lists deliveries that went dead (or any other status), oldest change first, a page at a time: connector,
event, type, store, status, attempts, last error and when it last changed. The cursor of the next page
is printed on stderr; pass it back with --after.

  --connector <id>  one connector
${FILTER_OPTIONS_HELP}
  --limit <n>       at most n rows, 1 to 1000 (default 100)
  --after <cursor>  the page after this cursor

${WHEN_HELP}
With --json, stdout is the hub's answer: {"items": [...], "next": cursor or null}.

${ADMIN_OPTIONS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  ...FILTER_OPTIONS,
  connector: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
} as const;

/** `poshub dlq list`: returns the exit code. */
export async function dlqListCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, DLQ_LIST_HELP, out);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 0) return usage(out, `unexpected argument "${positionals[0]}"`, DLQ_LIST_HELP);
  let query: DeliveryQuery;
  try {
    if (values.after !== undefined && !/^\d+$/.test(values.after)) {
      throw new UsageError('--after takes the cursor printed with the previous page');
    }
    query = {
      ...(values.connector ? { connector: values.connector } : {}),
      ...parseFilter(values),
      ...(values.limit ? { limit: parseLimit('limit', values.limit, 1000) } : {}),
      ...(values.after ? { after: values.after } : {}),
    };
  } catch (error) {
    if (error instanceof UsageError) return usage(out, error.message, DLQ_LIST_HELP);
    throw error;
  }
  const client = await connectAdmin(values, env, out, DLQ_LIST_HELP);
  if (typeof client === 'number') return client;
  const r = await client.deliveries(query);
  if (!r.ok) return printAdminFailure(out, r.failure);
  const { items, next } = r.value;
  if (items.length === 0 && query.connector) {
    // The hub lists nothing for a connector it does not run: say which it does run.
    const known = await client.connectors();
    if (known.ok && !known.value.connectors.some((c) => c.id === query.connector)) {
      const ids = known.value.connectors.map((c) => c.id);
      out.info(
        `${paint(out, 'red', 'error:')} no connector "${query.connector}" runs on this hub; ${ids.length > 0 ? `connectors: ${ids.join(', ')}` : 'it runs none'}`,
      );
      return 1;
    }
  }
  if (values.json) {
    out.data(JSON.stringify(r.value, null, 2));
    return 0;
  }
  const statuses = (query.status ?? ['dead']).join(',');
  if (items.length === 0) {
    out.info(`No deliveries with status ${statuses}${query.after ? ' after this cursor' : ''}.`);
    return 0;
  }
  const rows = items.map((d) => [
    d.connector,
    d.eventId,
    d.type,
    d.store,
    d.status,
    String(d.attempts),
    [d.lastErrorType, d.lastErrorMessage].filter(Boolean).join(': '),
    shortInstant(d.updatedAt),
  ]);
  const table = formatTable(
    out,
    [
      { header: 'CONNECTOR' },
      { header: 'EVENT' },
      { header: 'TYPE' },
      { header: 'STORE' },
      { header: 'STATUS', style: statusStyle },
      { header: 'ATTEMPTS', align: 'right' },
      { header: 'LAST ERROR', max: 60 },
      { header: 'UPDATED' },
    ],
    rows,
  );
  out.data(table.join('\n'));
  out.info(
    paint(out, 'dim', `${items.length} deliver${items.length === 1 ? 'y' : 'ies'} (status ${statuses}).`),
  );
  if (next) out.info(`More: add ${paint(out, 'bold', `--after ${next}`)} for the next page.`);
  return 0;
}
