import { httpFailure } from './http-failure.ts';
import type { SalesSummary } from './sales-summary.ts';
import type { UploadFailure } from './upload-import.ts';

/**
 * A store's business-day summary from the hub (`GET /v1/exports/sales/summary`), over the snapshot an
 * export cursor names when one is given (so it adds up to that export), else over a fresh one.
 */
export async function fetchSalesSummary(opts: {
  url: string;
  token: string;
  storeId: string;
  businessDay: string;
  snapshot?: string | undefined;
  signal?: AbortSignal;
}): Promise<{ ok: true; summary: SalesSummary } | { ok: false; failure: UploadFailure }> {
  const query = new URLSearchParams({ store: opts.storeId, businessDay: opts.businessDay });
  if (opts.snapshot) query.set('snapshot', opts.snapshot);
  const url = `${opts.url.replace(/\/+$/, '')}/v1/exports/sales/summary?${query}`;
  try {
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const text = await res.text();
    if (res.status !== 200) return { ok: false, failure: httpFailure(url, res.status, text) };
    return { ok: true, summary: JSON.parse(text) as SalesSummary };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    return {
      ok: false,
      failure: { kind: 'unreachable', url, reason: e.cause?.code ?? e.cause?.message ?? e.message },
    };
  }
}
