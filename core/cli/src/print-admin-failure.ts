import type { AdminFailure } from './admin-client.ts';
import { formatProblems, type Output, paint } from './output.ts';

/** Prints why a call to the hub failed, each problem with its pointer; returns exit code 1. */
export function printAdminFailure(out: Output, failure: AdminFailure): 1 {
  const error = paint(out, 'red', 'error:');
  switch (failure.kind) {
    case 'unreachable':
      out.info(
        failure.refused
          ? `${error} no hub at ${failure.url}: start one with pnpm poshub serve`
          : `${error} cannot reach the hub at ${failure.url}: ${failure.reason}`,
      );
      break;
    case 'unexpected':
      out.info(
        `${error} ${failure.url} answered ${failure.status}, not as a poshub hub would${failure.text ? `: ${failure.text}` : ''}`,
      );
      break;
    case 'problem': {
      const p = failure.problem;
      out.info(`${paint(out, 'red', '✖')} ${paint(out, 'bold', `${p.title} (${p.status})`)}: ${p.detail}`);
      if (p.problems && p.problems.length > 0) out.info(formatProblems(out, p.problems, '    ').join('\n'));
      if (p.status === 401) {
        out.info(paint(out, 'dim', '  Pass --token or set POSHUB_TOKEN: a token this hub trusts.'));
      }
      break;
    }
  }
  return 1;
}
