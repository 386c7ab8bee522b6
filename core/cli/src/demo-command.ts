import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { CanonicalEvent } from '@poshub/model';
import { formatMoney } from '@poshub/model';
import { inputFromFile, inputFromText, normalizeAll } from '@poshub/normalizers';
import { isDispatchable } from '@poshub/rules';
import { formatProblems, type Output, paint } from './output.ts';
import { summarizeEvent } from './summarize-event.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'normalizers', 'fixtures');
const REPO = join(import.meta.dirname, '..', '..', '..');

export const DEMO_HELP = `Usage: pnpm poshub demo [--pause <ms>]

A guided tour on the embedded default: every bundled vendor document (real public samples and documents
written from the vendors' schemas) goes through format detection, normalisation to canonical events and
the business rules; then a document carrying a full card number shows how poshub refuses bad input.`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function documents(): Promise<string[]> {
  const found: string[] = [];
  for (const dir of (await readdir(FIXTURES, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    for (const file of (await readdir(join(FIXTURES, dir.name))).sort()) {
      if (/\.(json|xml|ndjson)$/.test(file)) found.push(join(FIXTURES, dir.name, file));
    }
  }
  return found.sort();
}

/** `poshub demo`: returns the exit code. */
export async function demoCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { pause: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out.info(DEMO_HELP);
    return 0;
  }
  const pause = Number(values.pause ?? (process.stderr.isTTY ? 150 : 0));
  const say = (text = '') => out.info(text);
  say(paint(out, 'bold', 'poshub demo: vendor documents in, canonical events out'));
  say('Each document below is detected, normalised and checked against the business rules');
  say(
    '(lines + taxes - discounts = total = tenders - change; signs; no card numbers; training never dispatched).\n',
  );

  // What each sample's store would tell poshub (currency, time zone) where the document does not say.
  const storeOptions: Record<string, { currency?: string; timeZone?: string }> = JSON.parse(
    await readFile(join(FIXTURES, '..', 'fixture-store-settings.json'), 'utf8'),
  );
  let accepted = 0;
  let refusedDocs = 0;
  let example: CanonicalEvent | undefined;
  for (const path of await documents()) {
    const options = storeOptions[relative(FIXTURES, path)] ?? {};
    const result = await normalizeAll(inputFromFile(path), { timeZone: 'UTC', ...options });
    const label = relative(REPO, path);
    const ok = result.problems.length === 0;
    const skipped =
      result.skipped > 0
        ? paint(out, 'dim', ` (${result.skipped} skipped: ${result.warnings[0]?.code})`)
        : '';
    if (ok) accepted++;
    else refusedDocs++;
    say(
      `${ok ? paint(out, 'green', '✔') : paint(out, 'yellow', '•')} ${paint(out, 'bold', label)}  ${paint(out, 'dim', `[${result.format ?? '?'}]`)}${skipped}`,
    );
    for (const event of result.events) {
      const mark = isDispatchable(event) ? ' ' : paint(out, 'yellow', 'T');
      say(`   ${mark} ${event.type.padEnd(28)} ${summarizeEvent(event)}`);
      if (event.type === 'sale.completed.v1' && event.data.source.format.startsWith('poslog')) {
        if (!example || event.data.lines.length > (example.data as { lines: unknown[] }).lines.length)
          example = event;
      }
    }
    if (!ok) for (const line of formatProblems(out, result.problems, '     ')) say(line);
    if (pause) await sleep(pause);
  }

  if (example && example.type === 'sale.completed.v1') {
    const t = example.data;
    say(`\n${paint(out, 'bold', 'One canonical sale, close up')} (${t.source.system}, ${t.source.format}):`);
    say(
      `  identity  store ${t.key.storeId} / workstation ${t.key.workstationId} / business day ${t.key.businessDay} / seq ${t.key.sequence}`,
    );
    for (const line of t.lines) {
      say(
        `  line ${line.lineNumber.padStart(3)}  ${(line.item.description ?? line.item.sku ?? '').padEnd(28)} qty ${line.quantity.padStart(6)}  ${formatMoney(line.extendedAmount).padStart(10)}${line.voided ? '  (voided)' : ''}`,
      );
    }
    for (const d of t.discounts)
      say(`  discount  ${(d.description ?? d.kind).padEnd(38)} ${formatMoney(d.amount).padStart(10)}`);
    for (const x of t.tenders) {
      const what = `${x.type}${x.card?.last4 ? ` ****${x.card.last4}` : ''}${x.change ? ` (change ${formatMoney(x.change)})` : ''}`;
      say(`  tender    ${what.padEnd(38)} ${formatMoney(x.amount).padStart(10)}`);
    }
    say(`  total     ${''.padEnd(38)} ${formatMoney(t.total).padStart(10)} ${t.currency}`);
    say(`  event id  ${example.id}`);
  }

  say(`\n${paint(out, 'bold', 'Bad input is refused, precisely, and nothing of it is kept:')}`);
  const bad = await normalizeAll(
    inputFromText(
      JSON.stringify({
        specversion: '1.0',
        id: 'demo-bad',
        source: '/demo',
        subject: '1',
        type: 'sale.completed.v1',
        data: {
          kind: 'sale',
          note: 'customer card 4111 1111 1111 1111',
          total: { minor: 10.5, currency: 'EUR' },
        },
      }),
    ),
  );
  for (const line of formatProblems(out, bad.problems)) say(line);
  const sale = JSON.parse(await readFile(join(FIXTURES, 'canonical', 'sale-two-lines.json'), 'utf8'));
  sale.data.lines[1].quantity = '-0.42';
  sale.data.tenders[1].change.minor = 100;
  const unbalanced = await normalizeAll(inputFromText(JSON.stringify(sale)));
  say('');
  for (const line of formatProblems(out, unbalanced.problems)) say(line);
  say(
    `\n${accepted} document(s) accepted, ${refusedDocs} refused (as shown above). Try your own: pnpm poshub normalize <file>`,
  );
  return 0;
}
