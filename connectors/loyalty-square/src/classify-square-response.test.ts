import type { HttpResponse } from '@poshub/sdk';
import { describe, expect, it } from 'vitest';
import { classifySquareResponse } from './square-loyalty-connector.ts';

const answer = (status: number, body: unknown): HttpResponse => {
  const text = JSON.stringify(body);
  return {
    status,
    headers: new Headers(),
    url: 'https://connect.squareup.com/v2/x',
    body: text,
    json: () => body,
  } as HttpResponse;
};

describe('classifySquareResponse', () => {
  it('names the Square error code: an unknown account is permanent, a rate limit retried', () => {
    expect(
      classifySquareResponse(
        answer(404, {
          errors: [
            { category: 'INVALID_REQUEST_ERROR', code: 'NOT_FOUND', detail: 'Loyalty account not found' },
          ],
        }),
        0,
      ),
    ).toMatchObject({
      ok: false,
      error: { retryable: false, type: 'square_not_found' },
    });
    expect(
      classifySquareResponse(
        answer(429, { errors: [{ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' }] }),
        0,
      ),
    ).toMatchObject({
      ok: false,
      error: { retryable: true, type: 'square_rate_limited' },
    });
  });

  it('takes 200 as applied', () => {
    expect(classifySquareResponse(answer(200, { events: [] }), 0)).toEqual({ ok: true });
  });
});
