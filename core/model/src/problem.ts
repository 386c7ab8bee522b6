import type { z } from 'zod';

/**
 * One thing wrong with a document: a stable machine code, an RFC 6901 JSON pointer into the document
 * (or the canonical event, for business rules), and a message for people.
 */
export interface Problem {
  code: string;
  pointer: string;
  message: string;
  severity?: 'error' | 'warning';
}

/** Result of an operation that can fail with problems: errors are data. */
export type Outcome<T> = { ok: true; value: T; warnings: Problem[] } | { ok: false; problems: Problem[] };

/** Encodes a path as an RFC 6901 JSON pointer. */
export function toPointer(path: ReadonlyArray<PropertyKey>): string {
  return path.map((part) => `/${String(part).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Turns zod issues into problems with JSON pointers, prefixed by `base` (a pointer). */
export function problemsFromZod(error: z.ZodError, base = ''): Problem[] {
  return error.issues.map((issue) => ({
    code: `schema.${issue.code}`,
    pointer: base + toPointer(issue.path),
    message: issue.message,
    severity: 'error' as const,
  }));
}
