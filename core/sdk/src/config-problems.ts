import type { z } from 'zod';
import { REDACTED_SECRET } from './redact-config.ts';
import { pointer, type StartProblem } from './start-problem.ts';

/**
 * The problems of a failed config parse, one per zod issue, each at its JSON pointer under `/config`.
 * Any secret string of the raw config is scrubbed from the messages (zod's own messages never echo input,
 * but a connector's refinements might).
 */
export function configProblems(error: z.ZodError, secrets: readonly string[]): StartProblem[] {
  return error.issues.map((issue) => {
    // A bad record key or map entry: zod wraps the key schema's own issues, whose message says more.
    const inner = 'issues' in issue ? issue.issues[0]?.message : undefined;
    let message = inner ?? issue.message;
    for (const s of secrets) message = message.replaceAll(s, REDACTED_SECRET);
    return { path: pointer('/config', issue.path), message };
  });
}
