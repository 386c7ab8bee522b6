import type { RejectedRow } from './commit-import-batch.ts';

/** Accepted rows of one subject, in arrival order, each as its canonical JSON text. */
export interface RowGroup {
  subject: string;
  rows: string[];
}

/** The rows taken for one commit. */
export interface TakenRows {
  groups: RowGroup[];
  rejects: RejectedRow[];
  accepted: number;
}

/**
 * Rows read since the last commit, accepted ones (as JSON text) grouped by subject (a store, or "*") so each batch event
 * belongs to one subject, rejected ones with their problems. `full` says when to commit: a subject has a
 * whole batch, or the rows held reach the bound, whichever first; memory never holds more than that.
 */
export class PendingBatch {
  readonly #batchRows: number;
  readonly #maxRows: number;
  #groups = new Map<string, string[]>();
  #rejects: RejectedRow[] = [];
  #accepted = 0;
  #full = false;

  constructor(limits: { batchRows: number; maxRows: number }) {
    this.#batchRows = limits.batchRows;
    this.#maxRows = limits.maxRows;
  }

  /**
   * Adds an accepted row as its JSON text: held until its batch commits, a short string costs the heap far
   * less than the row's object graph (which would outlive a young-generation GC and pile up as old garbage).
   */
  accept(subject: string, row: string): void {
    let rows = this.#groups.get(subject);
    if (!rows) {
      rows = [];
      this.#groups.set(subject, rows);
    }
    rows.push(row);
    this.#accepted++;
    if (rows.length >= this.#batchRows || this.#accepted + this.#rejects.length >= this.#maxRows)
      this.#full = true;
  }

  /** Adds a rejected row. */
  reject(row: RejectedRow): void {
    this.#rejects.push(row);
    if (this.#accepted + this.#rejects.length >= this.#maxRows) this.#full = true;
  }

  /** Whether it is time to commit. */
  get full(): boolean {
    return this.#full;
  }

  /** Whether any row is held. */
  get empty(): boolean {
    return this.#accepted === 0 && this.#rejects.length === 0;
  }

  /** Takes every row held, in batches of at most `batchRows` per subject. */
  take(): TakenRows {
    const groups: RowGroup[] = [];
    for (const [subject, rows] of this.#groups) {
      for (let i = 0; i < rows.length; i += this.#batchRows) {
        groups.push({ subject, rows: rows.slice(i, i + this.#batchRows) });
      }
    }
    const taken = { groups, rejects: this.#rejects, accepted: this.#accepted };
    this.#groups = new Map();
    this.#rejects = [];
    this.#accepted = 0;
    this.#full = false;
    return taken;
  }
}
