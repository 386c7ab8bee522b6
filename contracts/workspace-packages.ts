import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PackageInfo, packageInfo } from './package-info.ts';

/** A workspace package: its name, version and directory. */
export interface WorkspacePackage extends PackageInfo {
  dir: string;
}

/**
 * The packages of the pnpm workspace at `root`, by name, from the globs in its pnpm-workspace.yaml
 * (`dir` or `dir/*`, the forms this repository uses).
 */
export function workspacePackages(root: string): Map<string, WorkspacePackage> {
  const globs = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')
    .split('\n')
    .map((line) => /^\s*-\s*['"]?([^'"\s]+)['"]?\s*$/.exec(line)?.[1])
    .filter((g): g is string => g !== undefined);
  const dirs = globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)];
    const parent = join(root, glob.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(parent, d.name));
  });
  const packages = new Map<string, WorkspacePackage>();
  for (const dir of dirs) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    const info = packageInfo(dir);
    packages.set(info.name, { ...info, dir });
  }
  return packages;
}
