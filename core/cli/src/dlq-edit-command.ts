import { readFile } from 'node:fs/promises';
import { ADMIN_OPTIONS, ADMIN_OPTIONS_HELP, parseCommand, usage } from './admin-args.ts';
import { connectAdmin } from './admin-connection.ts';
import { type Output, paint } from './output.ts';
import { printAdminFailure } from './print-admin-failure.ts';

export const DLQ_EDIT_HELP = `Usage: pnpm poshub dlq edit <connector> <eventId> --file <data.json> --reason <text> [options]

Stores a corrected copy of an event's data for one connector; the next replay of the event to that
connector sends it instead. The event itself is never changed, and every edit is kept with who made it
and why. The hub checks the edit as it checks an event at ingest, and refuses it, listing each problem
with its JSON pointer, when it does not pass.

  --file <path>     the event's new data (its "data" member, not the whole event), as JSON; start from
                    pnpm -s poshub dlq show <connector> <eventId> --data > data.json
  --reason <text>   why (required, kept in the audit trail)

${ADMIN_OPTIONS_HELP}`;

const OPTIONS = { ...ADMIN_OPTIONS, file: { type: 'string' }, reason: { type: 'string' } } as const;

/** `poshub dlq edit`: returns the exit code. */
export async function dlqEditCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, DLQ_EDIT_HELP, out);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) return usage(out, 'give a connector and an event id', DLQ_EDIT_HELP);
  const [connector, eventId] = positionals as [string, string];
  if (!values.file) return usage(out, '--file is required', DLQ_EDIT_HELP);
  const reason = values.reason?.trim();
  if (!reason) return usage(out, '--reason is required: say why the payload is edited', DLQ_EDIT_HELP);
  let text: string;
  try {
    text = await readFile(values.file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return usage(out, `cannot read ${values.file}: ${e.code ?? e.message}`, DLQ_EDIT_HELP);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return usage(out, `${values.file} is not JSON: ${(error as Error).message}`, DLQ_EDIT_HELP);
  }

  const client = await connectAdmin(values, env, out, DLQ_EDIT_HELP);
  if (typeof client === 'number') return client;
  const r = await client.editPayload(connector, eventId, { data, reason });
  if (!r.ok) return printAdminFailure(out, r.failure);
  if (values.json) {
    out.data(JSON.stringify(r.value, null, 2));
    return 0;
  }
  out.info(`${paint(out, 'green', '✔')} edit ${r.value.editId} stored for ${connector} / ${eventId}.`);
  out.info(
    `  Send it: ${paint(out, 'bold', `pnpm poshub replay ${connector} --event ${eventId}`)} (a dry run; add --execute)`,
  );
  return 0;
}
