import { ADMIN_OPTIONS, ADMIN_OPTIONS_HELP, parseCommand, usage } from './admin-args.ts';
import { connectAdmin } from './admin-connection.ts';
import { formatTable, shortInstant, statusStyle } from './format-table.ts';
import { type Output, paint } from './output.ts';
import { printAdminFailure } from './print-admin-failure.ts';
import { summarizeEvent } from './summarize-event.ts';

export const DLQ_SHOW_HELP = `Usage: pnpm poshub dlq show <connector> <eventId> [options]

Shows one event's delivery to one connector: where it stands, every attempt with its error, and every
operator edit of its payload.

  --data            print only the data the next replay would send (the latest edit's, else the event's),
                    as JSON: edit it and give it back with "pnpm poshub dlq edit"

${ADMIN_OPTIONS_HELP}`;

const OPTIONS = { ...ADMIN_OPTIONS, data: { type: 'boolean' } } as const;

/** `poshub dlq show`: returns the exit code. */
export async function dlqShowCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, DLQ_SHOW_HELP, out);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 2) return usage(out, 'give a connector and an event id', DLQ_SHOW_HELP);
  const [connector, eventId] = positionals as [string, string];
  const client = await connectAdmin(values, env, out, DLQ_SHOW_HELP);
  if (typeof client === 'number') return client;
  const r = await client.delivery(connector, eventId);
  if (!r.ok) return printAdminFailure(out, r.failure);
  const d = r.value;
  const edit = d.edits.at(-1);
  if (values.json) {
    out.data(JSON.stringify(d, null, 2));
    return 0;
  }
  if (values.data) {
    out.data(JSON.stringify(edit ? edit.data : d.event.data, null, 2));
    if (edit) out.info(paint(out, 'dim', `The data of edit ${edit.id} by ${edit.editedBy}: ${edit.reason}`));
    return 0;
  }

  const field = (name: string, value: string | null) =>
    value ? [`  ${paint(out, 'dim', name.padEnd(11))} ${value}`] : [];
  const lines = [
    `${paint(out, 'bold', `${d.connector} / ${d.eventId}`)}`,
    ...field('type', d.type),
    ...field('store', d.store),
    ...field('event', summarizeEvent(d.event)),
    ...field(
      'status',
      `${paint(out, statusStyle(d.status) ?? 'reset', d.status)} after ${d.attempts} attempt(s)`,
    ),
    ...field('last error', [d.lastErrorType, d.lastErrorMessage].filter(Boolean).join(': ')),
    ...field('waiting on', d.waitingOn),
    ...field('next try', shortInstant(d.nextAttemptAt)),
    ...field('first seen', shortInstant(d.firstSeenAt)),
    ...field('updated', shortInstant(d.updatedAt)),
    ...field('applied', shortInstant(d.appliedAt)),
    '',
    paint(out, 'bold', `Attempts (${d.attemptHistory.length})`),
  ];
  if (d.attemptHistory.length > 0) {
    const table = formatTable(
      out,
      [
        { header: '#', align: 'right' },
        { header: 'STARTED' },
        { header: 'MS', align: 'right' },
        { header: 'OUTCOME', style: statusStyle },
        { header: 'ERROR', max: 80 },
      ],
      d.attemptHistory.map((a) => [
        String(a.attempt),
        shortInstant(a.startedAt),
        String(a.durationMs),
        a.outcome,
        [a.errorType, a.errorMessage].filter(Boolean).join(': '),
      ]),
    );
    lines.push(...table.map((l) => `  ${l}`));
  }
  lines.push('', paint(out, 'bold', `Edits (${d.edits.length})`));
  if (d.edits.length > 0) {
    const table = formatTable(
      out,
      [{ header: 'EDIT' }, { header: 'EDITED' }, { header: 'BY' }, { header: 'REASON', max: 80 }],
      d.edits.map((e) => [e.id, shortInstant(e.editedAt), e.editedBy, e.reason]),
    );
    lines.push(...table.map((l) => `  ${l}`));
  }
  out.data(lines.join('\n'));
  if (edit && d.status !== 'applied') {
    out.info(paint(out, 'dim', `A replay sends the data of edit ${edit.id} instead of the event's.`));
  }
  return 0;
}
