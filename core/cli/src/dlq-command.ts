import { usage } from './admin-args.ts';
import { dlqEditCommand } from './dlq-edit-command.ts';
import { dlqListCommand } from './dlq-list-command.ts';
import { dlqShowCommand } from './dlq-show-command.ts';
import type { Output } from './output.ts';
import { replayCommand } from './replay-command.ts';

export const DLQ_HELP = `Usage: pnpm poshub dlq <subcommand> [options]

The dead-letter queue of a running hub: deliveries a connector refused for good, or gave up retrying.

Subcommands:
  list                              dead deliveries (or any status), filtered, a page at a time
  show <connector> <eventId>        one delivery: its attempts and errors, and payload edits
  edit <connector> <eventId>        store a corrected payload for the next replay (--file, --reason)
  replay <connector>                send them again: the same as "pnpm poshub replay" (a dry run
                                    unless --execute)

Run "pnpm poshub dlq <subcommand> --help" for its options.`;

/** `poshub dlq`: routes to its subcommands; returns the exit code. */
export async function dlqCommand(
  args: string[],
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
    case 'ls':
      return dlqListCommand(rest, out, env);
    case 'show':
      return dlqShowCommand(rest, out, env);
    case 'edit':
      return dlqEditCommand(rest, out, env);
    case 'replay':
      return replayCommand(rest, out, env);
    case 'help':
    case '--help':
    case '-h':
      out.info(DLQ_HELP);
      return 0;
    case undefined:
      return usage(out, 'give a subcommand', DLQ_HELP);
    default:
      return usage(out, `unknown subcommand "${sub}"`, DLQ_HELP);
  }
}
