import { httpFailure } from './http-failure.ts';
import type { UploadFailure } from './upload-import.ts';

/** A page about to be written: its own cursor (retrying it keeps the snapshot) and where it stands. */
export interface JournalPageStart {
  /** The page's own cursor: the first page's names the snapshot the hub fixed for this export. */
  cursor: string;
  /** Events before this page, on this page, and in the whole snapshot. */
  position: number;
  count: number;
  total: number;
}

/** Options of {@link downloadSalesJournal}. */
export interface JournalDownloadOptions {
  url: string;
  token: string;
  storeId: string;
  businessDay: string;
  /** Where to resume: a page cursor an earlier (interrupted) download was given. */
  cursor?: string | undefined;
  /** Events per page. Default 2,000. */
  pageSize?: number;
  /** Attempts per page after a connection failure, a cut page or a 5xx. Default 8. */
  retries?: number;
  /**
   * Told before a page's first line. A page may be told twice (with the same cursor) when it broke off
   * and is fetched again: whatever was written since it was first told must then be dropped.
   */
  onPage(page: JournalPageStart): void | Promise<void>;
  /** Complete NDJSON lines of the current page, in order. */
  write(lines: string): void | Promise<void>;
  signal?: AbortSignal;
}

/** The export finished, or why it stopped (with the cursor to resume from). */
export type JournalDownloadResult =
  | { ok: true; events: number; total: number; snapshot: string | undefined }
  | { ok: false; failure: UploadFailure; cursor: string | undefined };

class CutPage extends Error {
  override name = 'CutPage';
}

const NEXT = /<([^>]+)>\s*;\s*rel="?next"?/;

/**
 * Downloads a store's sales journal for a business day from the hub's export API, page by page along the
 * `Link: rel="next"` cursors. A page that breaks off (connection lost, fewer lines than the hub announced)
 * is fetched again from its own cursor, so the snapshot stays the one the first page fixed; rerun with the
 * last page cursor it was told, it resumes there.
 */
export async function downloadSalesJournal(opts: JournalDownloadOptions): Promise<JournalDownloadResult> {
  const base = opts.url.replace(/\/+$/, '');
  const pageSize = opts.pageSize ?? 2000;
  const retries = opts.retries ?? 8;
  const query = new URLSearchParams({
    store: opts.storeId,
    businessDay: opts.businessDay,
    limit: String(pageSize),
  });
  let path = `/v1/exports/sales?${query}${opts.cursor ? `&cursor=${encodeURIComponent(opts.cursor)}` : ''}`;
  let cursor = opts.cursor;
  let snapshot: string | undefined;
  let events = 0;
  let total = 0;
  for (let failures = 0; ; ) {
    const url = `${base}${path}`;
    let next: string | undefined;
    try {
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${opts.token}`, accept: 'application/x-ndjson' },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      if (res.status !== 200) {
        const text = await res.text();
        if (res.status < 500 || failures >= retries)
          return { ok: false, failure: httpFailure(url, res.status, text), cursor };
        throw new CutPage(`${res.status}`);
      }
      const own = res.headers.get('poshub-export-cursor') ?? '';
      const page: JournalPageStart = {
        cursor: own,
        position: Number(res.headers.get('poshub-export-position') ?? 0),
        count: Number(res.headers.get('poshub-export-count') ?? 0),
        total: Number(res.headers.get('poshub-export-total') ?? 0),
      };
      // Retries of this page use its own cursor: a first page fetched again keeps its snapshot.
      cursor = own || cursor;
      snapshot ??= own || undefined;
      path = `/v1/exports/sales?${query}&cursor=${encodeURIComponent(own)}`;
      next = NEXT.exec(res.headers.get('link') ?? '')?.[1];
      await opts.onPage(page);
      const lines = await copyLines(res.body, opts.write);
      if (lines !== page.count) throw new CutPage(`${lines} of ${page.count} lines`);
      events = page.position + page.count;
      total = page.total;
      failures = 0;
    } catch (error) {
      if (opts.signal?.aborted || failures >= retries) {
        const e = error as Error & { cause?: { code?: string; message?: string } };
        return {
          ok: false,
          failure: { kind: 'unreachable', url, reason: e.cause?.code ?? e.cause?.message ?? e.message },
          cursor,
        };
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** failures++)));
      continue;
    }
    if (!next) return { ok: true, events, total, snapshot };
    path = next;
    cursor = new URL(next, base).searchParams.get('cursor') ?? undefined;
  }
}

/** Copies a body's complete lines to `write`; returns how many. A last line without its newline is cut. */
async function copyLines(
  body: ReadableStream<Uint8Array> | null,
  write: (lines: string) => void | Promise<void>,
): Promise<number> {
  if (!body) return 0;
  const decoder = new TextDecoder();
  let rest = '';
  let count = 0;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      rest = text;
      continue;
    }
    const lines = text.slice(0, end + 1);
    rest = text.slice(end + 1);
    for (let i = lines.indexOf('\n'); i >= 0; i = lines.indexOf('\n', i + 1)) count++;
    await write(lines);
  }
  if (rest + decoder.decode() !== '') throw new CutPage('the last line was cut');
  return count;
}
