/** One reason a connector cannot start: where (a JSON pointer, e.g. `/config/baseUrl`) and why. */
export interface StartProblem {
  path: string;
  message: string;
}

/** A JSON pointer (RFC 6901) under `root` for a path of keys and indexes. */
export function pointer(root: string, path: readonly PropertyKey[]): string {
  return `${root}${path.map((k) => `/${String(k).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`;
}
