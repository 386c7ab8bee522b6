import type { HttpResponse } from '@poshub/sdk';
import { describe, expect, it } from 'vitest';
import { classifySalesforceResponse } from './classify-salesforce-response.ts';

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => {
  const text = JSON.stringify(body);
  return {
    status,
    headers: new Headers(headers),
    url: 'https://acme.my.salesforce.com/x',
    body: text,
    json: () => body,
  } as HttpResponse;
};

describe('classifySalesforceResponse', () => {
  it('takes a composite whose sub-requests all succeeded as applied', () => {
    const ok = {
      compositeResponse: [
        { httpStatusCode: 201, referenceId: 'Purchase', body: { id: 'a1V', success: true } },
      ],
    };
    expect(classifySalesforceResponse(answer(200, ok), 0)).toEqual({ ok: true });
  });

  it('reports the first real error of a failed all-or-none composite, not PROCESSING_HALTED', () => {
    const failed = {
      compositeResponse: [
        {
          httpStatusCode: 400,
          referenceId: 'Purchase',
          body: [{ errorCode: 'PROCESSING_HALTED', message: 'halted' }],
        },
        {
          httpStatusCode: 400,
          referenceId: 'Line1',
          body: [
            {
              errorCode: 'INVALID_FIELD',
              message: "No such column 'SKU__c' on sobject of type POS_Purchase_Line__c",
            },
          ],
        },
      ],
    };
    expect(classifySalesforceResponse(answer(200, failed), 0)).toMatchObject({
      ok: false,
      error: { retryable: false, type: 'salesforce_invalid_field' },
    });
  });

  it('retries a row lock inside a composite and the API request limit', () => {
    const locked = {
      compositeResponse: [
        { httpStatusCode: 400, body: [{ errorCode: 'UNABLE_TO_LOCK_ROW', message: 'lock' }] },
      ],
    };
    expect(classifySalesforceResponse(answer(200, locked), 0)).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'salesforce_unable_to_lock_row' },
    });
    expect(
      classifySalesforceResponse(
        answer(403, [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }]),
        0,
      ),
    ).toMatchObject({ ok: false, error: { retryable: true, type: 'salesforce_request_limit_exceeded' } });
  });

  it('keeps a validation rule failure permanent', () => {
    expect(
      classifySalesforceResponse(
        answer(400, [{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'Email required' }]),
        0,
      ),
    ).toMatchObject({
      ok: false,
      error: { retryable: false, type: 'salesforce_field_custom_validation_exception' },
    });
  });
});
