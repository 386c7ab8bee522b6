import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { CanonicalEvent, Problem } from '@poshub/model';
import {
  type DocumentInput,
  FORMATS,
  type FormatName,
  inputFromFile,
  inputFromStream,
  normalizeDocument,
} from '@poshub/normalizers';
import { formatProblems, type Output, paint } from './output.ts';
import { summarizeEvent } from './summarize-event.ts';

export const NORMALIZE_HELP = `Usage: pnpm poshub normalize <file|-> [options]

Turns a vendor document into canonical events. Prints the events as JSON on stdout and a summary on
stderr. Exits 0 when every part of the document was accepted, 1 when anything was refused (the problems
are listed with code, JSON pointer and message; accepted events are still printed), 2 on a usage error.

Options:
  --format <name>     ${FORMATS.join(' | ')} (detected when omitted)
  --time-zone <zone>  the store's IANA time zone, e.g. Europe/Paris: places local times, derives business days
  --currency <code>   ISO 4217 currency for documents that name none
  --store <id>        store id for documents that carry none
  --ndjson            one event per line instead of a JSON array
  --summary           a line per event for people instead of JSON
  --quiet             no summary on stderr (problems are still listed)
  -h, --help          this help`;

/** `poshub normalize`: returns the exit code. */
export async function normalizeCommand(
  args: string[],
  out: Output,
  stdin: AsyncIterable<Buffer>,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    out.info(`${paint(out, 'red', 'error:')} ${(error as Error).message}\n\n${NORMALIZE_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out.info(NORMALIZE_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    out.info(`${paint(out, 'red', 'error:')} give exactly one file, or - for stdin\n\n${NORMALIZE_HELP}`);
    return 2;
  }
  const format = values.format;
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
    out.info(`${paint(out, 'red', 'error:')} unknown format "${format}"; formats: ${FORMATS.join(', ')}`);
    return 2;
  }
  const path = positionals[0]!;
  const name = path === '-' ? 'stdin' : basename(path);
  let input: DocumentInput;
  if (path === '-') {
    input = inputFromStream(stdin);
  } else {
    input = inputFromFile(path);
    try {
      await input.chunks()[Symbol.asyncIterator]().next();
    } catch (error) {
      out.info(
        `${paint(out, 'red', 'error:')} cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
      return 2;
    }
  }

  const events: CanonicalEvent[] = [];
  const refused: Array<{ unit: string | undefined; problems: Problem[] }> = [];
  const warnings: Problem[] = [];
  let detected: FormatName | undefined;
  let skipped = 0;
  let first = true;
  const asArray = !values.ndjson && !values.summary;
  if (asArray) out.write('[');
  for await (const item of normalizeDocument(input, {
    format: format as FormatName | undefined,
    timeZone: values['time-zone'],
    currency: values.currency,
    storeId: values.store,
  })) {
    detected = item.format;
    if (!item.ok) {
      if ('skipped' in item) {
        // Skipped on purpose (a parked sale): nothing to send, nothing wrong. Its reason is a warning.
        skipped++;
        warnings.push(...item.problems);
      } else refused.push({ unit: item.unit, problems: item.problems });
      continue;
    }
    events.push(item.event);
    warnings.push(...item.warnings);
    if (values.summary)
      out.data(`${paint(out, 'bold', item.event.type.padEnd(28))} ${summarizeEvent(item.event)}`);
    else if (values.ndjson) out.data(JSON.stringify(item.event));
    else {
      out.write(`${first ? '' : ','}\n${JSON.stringify(item.event, null, 2).replace(/^/gm, '  ')}`);
      first = false;
    }
  }
  if (asArray) out.data(first ? ']' : '\n]');

  const problems = refused.flatMap((r) => r.problems);
  if (!values.quiet || problems.length > 0) {
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
    const byType = [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
    const head = `${detected ?? 'unknown format'}: ${name}`;
    if (problems.length === 0) {
      out.info(
        `${paint(out, 'green', '✔')} ${head}: ${events.length} event(s)${byType ? ` (${byType})` : ''}${skipped > 0 ? `, ${skipped} part(s) skipped` : ''}`,
      );
    } else {
      const verdict =
        events.length === 0
          ? 'refused'
          : `${events.length} event(s) accepted, ${refused.length} part(s) refused`;
      out.info(`${paint(out, 'red', '✖')} ${head}: ${verdict}, ${problems.length} problem(s)`);
      for (const r of refused) {
        if (r.unit) out.info(`  ${paint(out, 'bold', r.unit)}`);
        for (const line of formatProblems(out, r.problems, r.unit ? '    ' : '  ')) out.info(line);
      }
    }
    if (warnings.length > 0 && !values.quiet) {
      out.info(`  ${warnings.length} warning(s):`);
      for (const line of formatProblems(out, warnings, '    ')) out.info(line);
    }
  }
  return problems.length > 0 ? 1 : 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      'time-zone': { type: 'string' },
      currency: { type: 'string' },
      store: { type: 'string' },
      ndjson: { type: 'boolean' },
      summary: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
