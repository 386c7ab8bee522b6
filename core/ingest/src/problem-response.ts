import type { Problem } from '@poshub/model';
import type { Context } from 'hono';
import { type ProblemBody, problemBody } from './ingest-outcome.ts';

/** Sends an RFC 9457 problem+json response. */
export function sendProblem(c: Context, body: ProblemBody, headers: Record<string, string> = {}): Response {
  return c.newResponse(JSON.stringify(body), body.status as 400, {
    'content-type': 'application/problem+json',
    ...headers,
  });
}

/** 422 for a document that failed validation, listing every problem with its JSON pointer. */
export function invalidDocument(
  problems: Problem[],
  detail = 'the document was refused; nothing was stored',
): ProblemBody {
  const errors = problems.filter((p) => p.severity !== 'warning');
  return problemBody('invalid-document', 'Invalid document', 422, detail, {
    problems: (errors.length > 0 ? errors : problems).map(({ code, pointer, message }) => ({
      code,
      pointer,
      message,
    })),
  });
}

/** Problem for a request the hub refuses before reading it (auth, size, type, rate). */
export function requestProblem(status: number, slug: string, title: string, detail: string): ProblemBody {
  return problemBody(slug, title, status, detail);
}
