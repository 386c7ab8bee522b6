import {
  ADMIN_OPTIONS,
  ADMIN_OPTIONS_HELP,
  parseCommand,
  parseInstant,
  UsageError,
  usage,
  WHEN_HELP,
} from './admin-args.ts';
import type { ResyncBody } from './admin-client.ts';
import { connectAdmin } from './admin-connection.ts';
import type { Output } from './output.ts';
import { printAdminFailure } from './print-admin-failure.ts';
import { printReplayPlan } from './print-replay-plan.ts';

export const RESYNC_HELP = `Usage: pnpm poshub resync <connector> (--transaction <id> | --sku <sku> | --customer <id>) [options]

Sends one connector every event about one transaction, SKU or customer again, in the order the hub
received them, so the connector ends up with the latest state. A DRY RUN unless --execute: it lists what
would be sent and sends nothing.

  --transaction <id>  an event id, or a business key store|workstation|businessDay|sequence
  --sku <sku>         every transaction line and stock movement of this SKU
  --customer <id>     the customer's upserts and the transactions that name them
  --since <when>      only events received since <when> (default 30 days ago)
  --execute           send them

${WHEN_HELP}

${ADMIN_OPTIONS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  transaction: { type: 'string' },
  sku: { type: 'string' },
  customer: { type: 'string' },
  since: { type: 'string' },
  execute: { type: 'boolean' },
} as const;

const KINDS = ['transaction', 'sku', 'customer'] as const;

/** `poshub resync`: returns the exit code. */
export async function resyncCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, RESYNC_HELP, out);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usage(out, 'give one connector', RESYNC_HELP);
  let body: ResyncBody;
  try {
    const given = KINDS.filter((k) => values[k] !== undefined);
    if (given.length !== 1) {
      throw new UsageError('give exactly one of --transaction, --sku and --customer');
    }
    const kind = given[0]!;
    const id = values[kind]!;
    if (!id) throw new UsageError(`--${kind} needs a value`);
    body = {
      connector: positionals[0]!,
      entity: { kind, id },
      dryRun: !values.execute,
      ...(values.since ? { since: parseInstant('since', values.since) } : {}),
    };
  } catch (error) {
    if (error instanceof UsageError) return usage(out, error.message, RESYNC_HELP);
    throw error;
  }
  const client = await connectAdmin(values, env, out, RESYNC_HELP);
  if (typeof client === 'number') return client;
  const r = await client.resync(body);
  if (!r.ok) return printAdminFailure(out, r.failure);
  if (values.json) out.data(JSON.stringify(r.value, null, 2));
  else printReplayPlan(out, r.value);
  return 0;
}
