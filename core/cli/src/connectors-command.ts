import { ADMIN_OPTIONS, ADMIN_OPTIONS_HELP, parseCommand, usage } from './admin-args.ts';
import { DELIVERY_STATUSES } from './admin-client.ts';
import { connectAdmin } from './admin-connection.ts';
import { type Column, formatTable, statusStyle } from './format-table.ts';
import { type Output, paint } from './output.ts';
import { printAdminFailure } from './print-admin-failure.ts';

export const CONNECTORS_HELP = `Usage: pnpm poshub connectors [options]

Lists the connectors a running hub dispatches to: their event types, whether each store's events go in
order, and how many deliveries stand in each status.

${ADMIN_OPTIONS_HELP}`;

/** `poshub connectors`: returns the exit code. */
export async function connectorsCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommand(args, ADMIN_OPTIONS, CONNECTORS_HELP, out);
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 0) {
    return usage(out, `unexpected argument "${parsed.positionals[0]}"`, CONNECTORS_HELP);
  }
  const client = await connectAdmin(parsed.values, env, out, CONNECTORS_HELP);
  if (typeof client === 'number') return client;
  const r = await client.connectors();
  if (!r.ok) return printAdminFailure(out, r.failure);
  if (parsed.values.json) {
    out.data(JSON.stringify(r.value, null, 2));
    return 0;
  }
  const connectors = r.value.connectors;
  if (connectors.length === 0) {
    out.info(`The hub at ${client.url} dispatches to no connector.`);
    return 0;
  }
  const shown = DELIVERY_STATUSES.filter((s) => connectors.some((c) => (c.deliveries[s] ?? 0) > 0));
  const columns: Column[] = [
    { header: 'CONNECTOR' },
    { header: 'TYPES', max: 60 },
    { header: 'ORDERED' },
    ...shown.map(
      (s): Column => ({
        header: s.toUpperCase(),
        align: 'right',
        style: (cell) => (cell === '0' ? 'dim' : statusStyle(s)),
      }),
    ),
  ];
  const rows = connectors.map((c) => [
    c.id,
    c.types.join(','),
    c.orderedPerStore ? 'per store' : 'no',
    ...shown.map((s) => String(c.deliveries[s] ?? 0)),
  ]);
  out.data(formatTable(out, columns, rows).join('\n'));
  if (shown.length === 0) out.info(paint(out, 'dim', 'No deliveries yet.'));
  return 0;
}
