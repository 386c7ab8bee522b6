/** One row of the uploaded text, cut at its line end, with where it sits in the decoded upload. */
export interface RawRow {
  /** The row's bytes, its line end included (absent on a last row that has none). */
  bytes: Buffer;
  /** Physical line the row starts on, from 1. */
  line: number;
  /** Decoded offset just past the row. */
  end: number;
  /** The row was longer than the limit: `bytes` holds only its start, the rest was skipped. */
  tooLong: boolean;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function countQuotes(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(QUOTE, from); i !== -1 && i < to; i = buf.indexOf(QUOTE, i + 1)) n++;
  return n;
}

/**
 * Cuts decoded upload bytes into rows as they arrive, without holding more than one row: NDJSON at every
 * line end; CSV at line ends outside quotes (RFC 4180 doubles a quote inside a quoted field, so a line
 * end with an odd number of quotes before it in the row is inside a field). It keeps the offset and line
 * number across chunks, so a resumed upload continues counting where the last one stopped. A row longer
 * than `maxRowBytes` is reported once, cut, and skipped up to the next line end.
 */
export class RowSplitter {
  readonly #csv: boolean;
  readonly #maxRowBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #pendingQuotes = 0;
  #skipping: { start: Buffer; line: number } | undefined;
  /** Decoded offset of the first pending byte. */
  #rowStart: number;
  #offset: number;
  #lines: number;
  #rowLine: number;

  constructor(opts: { offset: number; lines: number; carry: Buffer; csv: boolean; maxRowBytes: number }) {
    this.#csv = opts.csv;
    this.#maxRowBytes = opts.maxRowBytes;
    this.#offset = opts.offset;
    this.#rowStart = opts.offset - opts.carry.length;
    this.#lines = opts.lines;
    this.#rowLine = opts.lines + 1;
    if (opts.carry.length > 0) {
      this.#pending.push(opts.carry);
      this.#pendingBytes = opts.carry.length;
      if (this.#csv) this.#pendingQuotes = countQuotes(opts.carry, 0, opts.carry.length);
    }
  }

  /** Decoded bytes seen so far, counting from the start of the upload. */
  get offset(): number {
    return this.#offset;
  }

  /** Line ends seen so far. */
  get lines(): number {
    return this.#lines;
  }

  /** The bytes of the row in progress (to keep as the carry when the chunk ends here). */
  get tail(): Buffer {
    if (this.#skipping) return Buffer.alloc(0);
    return this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
  }

  /** Feeds bytes; calls `emit` for every row they complete, in order. */
  push(chunk: Buffer, emit: (row: RawRow) => void): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, pos);
      const stop = nl === -1 ? chunk.length : nl + 1;
      this.#offset += stop - pos;
      if (nl !== -1) this.#lines++;
      if (this.#skipping) {
        if (nl !== -1) {
          const skipped = this.#skipping;
          this.#skipping = undefined;
          emit({ bytes: skipped.start, line: skipped.line, end: this.#offset, tooLong: true });
          this.#startRow();
        }
        pos = stop;
        continue;
      }
      const quotes = this.#csv ? countQuotes(chunk, pos, stop) : 0;
      const insideQuotes = (this.#pendingQuotes + quotes) % 2 === 1;
      if (nl === -1 || insideQuotes) {
        this.#pending.push(chunk.subarray(pos, stop));
        this.#pendingBytes += stop - pos;
        this.#pendingQuotes += quotes;
        if (this.#pendingBytes > this.#maxRowBytes) this.#startSkipping(nl !== -1, emit);
        pos = stop;
        continue;
      }
      const piece = chunk.subarray(pos, stop);
      const bytes =
        this.#pending.length === 0
          ? piece
          : Buffer.concat([...this.#pending, piece], this.#pendingBytes + piece.length);
      pos = stop;
      if (bytes.length > this.#maxRowBytes) {
        emit({ bytes: bytes.subarray(0, 1024), line: this.#rowLine, end: this.#offset, tooLong: true });
      } else {
        emit({ bytes: this.#withoutBom(bytes), line: this.#rowLine, end: this.#offset, tooLong: false });
      }
      this.#startRow();
    }
  }

  /**
   * Ends a chunk of the upload: a row being skipped for its length is reported now (the rest of it, in the
   * next chunk, will be refused as a row of its own). The row in progress stays as the `tail`.
   */
  endChunk(emit: (row: RawRow) => void): void {
    if (!this.#skipping) return;
    const skipped = this.#skipping;
    this.#skipping = undefined;
    emit({ bytes: skipped.start, line: skipped.line, end: this.#offset, tooLong: true });
    this.#startRow();
  }

  /** Ends the upload: the row in progress, if any, is the last one (a file need not end with a newline). */
  finish(emit: (row: RawRow) => void): void {
    if (this.#skipping) {
      const skipped = this.#skipping;
      this.#skipping = undefined;
      emit({ bytes: skipped.start, line: skipped.line, end: this.#offset, tooLong: true });
    } else if (this.#pendingBytes > 0) {
      emit({ bytes: this.#withoutBom(this.tail), line: this.#rowLine, end: this.#offset, tooLong: false });
    }
    this.#startRow();
  }

  #startRow(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingQuotes = 0;
    this.#rowStart = this.#offset;
    this.#rowLine = this.#lines + 1;
  }

  #startSkipping(endedLine: boolean, emit: (row: RawRow) => void): void {
    const start = Buffer.concat(this.#pending, this.#pendingBytes).subarray(0, 1024);
    const line = this.#rowLine;
    if (endedLine) {
      // The cut line ended in this very piece (a CSV quote left open): the row stops here.
      emit({ bytes: start, line, end: this.#offset, tooLong: true });
      this.#startRow();
    } else {
      this.#skipping = { start, line };
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#pendingQuotes = 0;
    }
  }

  #withoutBom(bytes: Buffer): Buffer {
    return this.#rowStart === 0 && bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
  }
}
