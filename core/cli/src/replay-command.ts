import {
  ADMIN_OPTIONS,
  ADMIN_OPTIONS_HELP,
  FILTER_OPTIONS,
  FILTER_OPTIONS_HELP,
  parseCommand,
  parseFilter,
  parseInstant,
  parseLimit,
  UsageError,
  usage,
  WHEN_HELP,
} from './admin-args.ts';
import type { ReplayBody } from './admin-client.ts';
import { connectAdmin } from './admin-connection.ts';
import type { Output } from './output.ts';
import { printAdminFailure } from './print-admin-failure.ts';
import { printReplayPlan } from './print-replay-plan.ts';

export const REPLAY_HELP = `Usage: pnpm poshub replay <connector> [which] [--limit <n>] [--execute] [options]
       pnpm poshub dlq replay <connector> ...

Sends events to one connector again, in the order the hub received them, with a fresh retry budget and
an operator's latest edit of the payload, if any. A DRY RUN unless --execute: it lists what would be
sent and sends nothing.

Which events (one kind at most; none = the connector's dead letters):
  --event <id>      this event (repeat for several)
  --since <when>    every event of the connector's types received since <when>, applied or not
  or deliveries matching a filter:
${FILTER_OPTIONS_HELP}

  --limit <n>       at most n events, 1 to 10000 (default 10000)
  --execute         send them

${WHEN_HELP}

${ADMIN_OPTIONS_HELP}`;

const OPTIONS = {
  ...ADMIN_OPTIONS,
  ...FILTER_OPTIONS,
  event: { type: 'string', multiple: true },
  since: { type: 'string' },
  limit: { type: 'string' },
  execute: { type: 'boolean' },
} as const;

/** `poshub replay` (and `poshub dlq replay`): returns the exit code. */
export async function replayCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, REPLAY_HELP, out);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usage(out, 'give one connector', REPLAY_HELP);
  let body: ReplayBody;
  try {
    const filter = parseFilter(values);
    const since = values.since ? parseInstant('since', values.since) : undefined;
    const kinds = [values.event && '--event', since && '--since', filter && 'a filter'].filter(Boolean);
    if (kinds.length > 1) throw new UsageError(`choose one of ${kinds.join(', ')}`);
    body = {
      connector: positionals[0]!,
      dryRun: !values.execute,
      ...(values.event ? { eventIds: values.event } : {}),
      ...(since ? { since } : {}),
      ...(filter ? { filter } : {}),
      ...(values.limit ? { limit: parseLimit('limit', values.limit, 10_000) } : {}),
    };
  } catch (error) {
    if (error instanceof UsageError) return usage(out, error.message, REPLAY_HELP);
    throw error;
  }
  const client = await connectAdmin(values, env, out, REPLAY_HELP);
  if (typeof client === 'number') return client;
  const r = await client.replay(body);
  if (!r.ok) return printAdminFailure(out, r.failure);
  if (values.json) out.data(JSON.stringify(r.value, null, 2));
  else printReplayPlan(out, r.value);
  return 0;
}
