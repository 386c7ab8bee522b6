import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A workspace package as a pact names it: its npm name and version. */
export interface PackageInfo {
  name: string;
  version: string;
}

/** The name and version in `<dir>/package.json`. */
export function packageInfo(dir: string): PackageInfo {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Partial<PackageInfo>;
  if (typeof pkg.name !== 'string' || typeof pkg.version !== 'string') {
    throw new Error(`${dir}/package.json has no name or version`);
  }
  return { name: pkg.name, version: pkg.version };
}
