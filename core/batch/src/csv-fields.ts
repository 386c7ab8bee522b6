import { Parser } from 'csv-parse';

// The synchronous push API under csv-parse's stream (not in its type declarations): parse(buf, end, push, close).
interface CsvApi {
  parse(
    buf: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): Error | undefined;
}

// Records reach the parser ending in "\n" alone (see parse). csv-parse emits a record only once it has seen
// a few bytes past its end (a delimiter or escaped quote could continue there), so each record is followed
// by empty lines, which it skips.
const OPTIONS = { relax_column_count: true, skip_empty_lines: true, record_delimiter: '\n' };
const NEWLINE = Buffer.from('\n');
const LOOKAHEAD = Buffer.from('\n\n\n');

function newApi(): CsvApi {
  return (new Parser(OPTIONS) as unknown as { api: CsvApi }).api;
}

/**
 * Parses the fields of one CSV record at a time with csv-parse (quotes, doubled quotes, line ends inside
 * quotes), the record having been cut by RowSplitter. One parser serves every record; a record it refuses
 * gets a fresh parser, so one bad row never spoils the next.
 */
export class CsvFields {
  #api = newApi();

  /** The fields of one whole record, or why it is not a CSV record. */
  parse(record: Buffer): { ok: true; fields: string[] } | { ok: false; message: string } {
    const n = record.length;
    const input =
      record[n - 1] !== 0x0a
        ? Buffer.concat([record, NEWLINE])
        : record[n - 2] === 0x0d
          ? Buffer.concat([record.subarray(0, n - 2), NEWLINE])
          : record;
    let fields: string[] | undefined;
    let count = 0;
    const push = (r: string[]) => {
      fields = r;
      count++;
    };
    const error =
      this.#api.parse(input, false, push, () => {}) ?? this.#api.parse(LOOKAHEAD, false, push, () => {});
    if (error || count !== 1 || !fields) {
      this.#api = newApi();
      const message = error
        ? error.message.replace(/ at line \d+/, '')
        : count === 0
          ? 'a quoted field is not closed'
          : 'holds more than one record';
      return { ok: false, message };
    }
    return { ok: true, fields };
  }
}
