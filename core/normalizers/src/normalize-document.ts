import type { CanonicalEvent, Problem } from '@poshub/model';
import { checkEvent, findCardNumbers, parseJsonForScan } from '@poshub/rules';
import { headOf, inputFromText } from './document-input.ts';
import { formBodyToJson, isFormBody } from './form-body.ts';
import type { DocumentInput, FormatName, NormalizedItem, NormalizeOptions } from './normalizer.ts';
import { FORMATS } from './normalizer.ts';
import { detectFormat, normalizerFor } from './registry.ts';
import { isTimeZone } from './timestamp.ts';
import { parseVendorJson } from './vendor-json.ts';

/** Options of one normalisation: the format (detected when absent) and what the document may not say. */
export interface NormalizeDocumentOptions extends NormalizeOptions {
  format?: FormatName | undefined;
}

/**
 * Each unit of a document: an event that passed every check, the problems that refused it, or a unit
 * skipped on purpose (only warnings: a parked sale, an incomplete basket) that moves no money and is no error.
 */
export type DocumentItem = (
  | NormalizedItem
  | { ok: false; skipped: true; problems: Problem[]; unit?: string }
) & {
  format: FormatName;
};

function refuse(code: string, message: string, pointer = ''): NormalizedItem {
  return { ok: false, problems: [{ code, pointer, message, severity: 'error' }] };
}

/**
 * Normalises one document: detects its format (or uses the given one), refuses it outright when it holds a
 * full card number, maps it to canonical events and checks each against the schema and business rules.
 * Streams: a POSLog business day yields transaction by transaction.
 */
export async function* normalizeDocument(
  document: DocumentInput,
  options: NormalizeDocumentOptions = {},
): AsyncGenerator<DocumentItem> {
  let input = document;
  let head = await headOf(input);
  if (isFormBody(head)) {
    // A form-encoded webhook: its fields become a JSON object for the JSON normalisers.
    input = inputFromText(formBodyToJson(await input.text()));
    head = await headOf(input);
  }
  const format = options.format ?? detectFormat(head);
  if (!format) {
    yield {
      format: 'canonical',
      ...refuse(
        'format.unknown',
        `cannot tell the format of this document; pass --format with one of: ${FORMATS.join(', ')}`,
      ),
    };
    return;
  }
  if (options.timeZone && !isTimeZone(options.timeZone)) {
    yield { format, ...refuse('options.time_zone', `"${options.timeZone}" is not an IANA time zone`) };
    return;
  }
  if (head.trim() === '') {
    yield { format, ...refuse('document.empty', 'the document is empty') };
    return;
  }
  let source = input;
  if (format !== 'poslog') {
    // JSON documents are small and read whole: look for card numbers before anything is mapped.
    const text = await input.text();
    if (format !== 'canonical') {
      const parsed = parseVendorJson(text);
      if (!parsed.ok) {
        yield { format, ...refuse('json.invalid', `not valid JSON: ${parsed.message}`) };
        return;
      }
      const cards = findCardNumbers(parseJsonForScan(text));
      if (cards.length > 0) {
        yield { format, ok: false, problems: cards };
        return;
      }
    }
    source = inputFromText(text);
  }
  for await (const candidate of normalizerFor(format).normalize(source, options)) {
    if (!candidate.ok) {
      const skipped =
        candidate.problems.length > 0 && candidate.problems.every((p) => p.severity === 'warning');
      yield skipped ? { format, ...candidate, skipped: true } : { format, ...candidate };
      continue;
    }
    const base = format === 'canonical' ? (candidate.unit ?? '') : '';
    const checked = checkEvent(candidate.event, base);
    if (checked.ok) {
      yield {
        format,
        ok: true,
        event: checked.event,
        warnings: [...(candidate.warnings ?? []), ...checked.warnings],
      };
    } else {
      const unit = candidate.unit;
      yield unit === undefined
        ? { format, ok: false, problems: checked.problems }
        : { format, ok: false, problems: checked.problems, unit };
    }
  }
}

/** Every result of a document collected: events that passed, problems that refused, units skipped on purpose. */
export async function normalizeAll(
  input: DocumentInput,
  options: NormalizeDocumentOptions = {},
): Promise<{
  format: FormatName | undefined;
  events: CanonicalEvent[];
  problems: Problem[];
  warnings: Problem[];
  skipped: number;
}> {
  const events: CanonicalEvent[] = [];
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  let format: FormatName | undefined;
  let skipped = 0;
  for await (const item of normalizeDocument(input, options)) {
    format = item.format;
    if (item.ok) {
      events.push(item.event);
      warnings.push(...item.warnings);
    } else if ('skipped' in item) {
      skipped++;
      warnings.push(...item.problems);
    } else {
      problems.push(...item.problems);
    }
  }
  return { format, events, problems, warnings, skipped };
}

/** Convenience for tests and small documents held in memory. */
export function normalizeText(text: string, options: NormalizeDocumentOptions = {}) {
  return normalizeAll(inputFromText(text), options);
}
