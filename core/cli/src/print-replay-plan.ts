import type { ReplayPlan } from '@poshub/dispatch';
import { formatTable, statusStyle } from './format-table.ts';
import { type Output, paint } from './output.ts';

/** A replay's (or re-sync's) plan: the events as a table on stdout, what happened on stderr. */
export function printReplayPlan(out: Output, plan: ReplayPlan): void {
  if (plan.items.length > 0) {
    const table = formatTable(
      out,
      [
        { header: 'EVENT' },
        { header: 'TYPE' },
        { header: 'STORE' },
        { header: 'WAS', style: statusStyle },
        { header: 'EDITED' },
      ],
      plan.items.map((i) => [i.eventId, i.type, i.store, i.was, i.edited ? 'edited' : '']),
    );
    out.data(table.join('\n'));
  }
  const events = `${plan.count} event${plan.count === 1 ? '' : 's'}`;
  if (plan.count === 0) {
    out.info(`Nothing to send to ${plan.connector}: no event matches.`);
  } else if (plan.dryRun) {
    out.info(
      `${paint(out, 'yellow', 'Dry run:')} ${events} would be sent to ${plan.connector}; nothing was sent.\n  Add ${paint(out, 'bold', '--execute')} to send them.`,
    );
  } else {
    out.info(`${paint(out, 'green', '✔')} ${events} sent to ${plan.connector} again.`);
  }
  if (plan.truncated) {
    out.info(`${paint(out, 'yellow', '!')} more events match than the limit: run it again for the rest.`);
  }
}
