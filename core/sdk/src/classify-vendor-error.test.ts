import { describe, expect, it } from 'vitest';
import { classifyVendorError } from './classify-vendor-error.ts';

const answer = (status: number, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers(headers),
  body: '',
});

describe('classifyVendorError', () => {
  it("names the failure by the vendor's code and keeps the HTTP rule for retrying", () => {
    expect(classifyVendorError(answer(400), 'sap', { code: 'V1/045', message: 'Material unknown' })).toEqual({
      ok: false,
      error: { retryable: false, type: 'sap_v1_045', message: 'V1/045: Material unknown' },
    });
    expect(
      classifyVendorError(
        answer(503, { 'retry-after': '4' }),
        'square',
        { code: 'SERVICE_UNAVAILABLE' },
        { now: 0 },
      ),
    ).toEqual({
      ok: false,
      error: {
        retryable: true,
        type: 'square_service_unavailable',
        message: 'SERVICE_UNAVAILABLE',
        retryAfterMs: 4000,
      },
    });
  });

  it('retries the codes it is told are transient, whatever the status', () => {
    expect(
      classifyVendorError(
        answer(400),
        'netsuite',
        { code: 'RCRD_LOCKED_BY_WF' },
        { retryableCodes: ['RCRD_LOCKED_BY_WF'] },
      ),
    ).toMatchObject({ ok: false, error: { retryable: true, type: 'netsuite_rcrd_locked_by_wf' } });
  });

  it('falls back to the HTTP classification without a code, and takes 2xx as ok', () => {
    expect(classifyVendorError(answer(404), 'x', undefined)).toMatchObject({
      ok: false,
      error: { type: 'http_404' },
    });
    expect(classifyVendorError(answer(201), 'x', { code: 'IGNORED' })).toEqual({ ok: true });
  });
});
