import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import './pact-do-not-track.ts';
import { PactV4 } from '@pact-foundation/pact';
import { afterAll } from 'vitest';
import { type PackageInfo, packageInfo } from './package-info.ts';

// A connector's pact test needs only this module (its package has @poshub/contracts as a dev dependency).
export { MatchersV3, PactV4 } from '@pact-foundation/pact';

const REPO = join(import.meta.dirname, '..');

/** Where pact files are published: `POSHUB_PACTS_DIR`, else the committed `contracts/pacts/`. */
export function pactsDir(): string {
  return process.env.POSHUB_PACTS_DIR ?? join(import.meta.dirname, 'pacts');
}

/** One side of a pact. */
export interface PactParty {
  /** The pacticipant's name in the pact file (kebab-case, stable). */
  name: string;
  /**
   * The directory of the workspace package that is this party: its npm name and version are written into
   * the pact, and the pact check refuses the pact once that version changes. Absent for a party outside
   * this repository (a vendor's API).
   */
  packageDir?: string;
}

/** What poshub adds to a pact's metadata: which package versions wrote it. */
export interface PactVersions {
  consumer: PackageInfo;
  provider?: PackageInfo;
}

/** A consumer's pact under test. */
export interface ConsumerPact {
  /** Add interactions to this (`addInteraction()`, `addAsynchronousInteraction()`) and run them. */
  pact: PactV4;
  /** Where the pact file is published. */
  file: string;
}

type TaskLike = { result?: { state?: string }; tasks?: TaskLike[] };

// Every test ran and passed: a run filtered to some tests (`-t`) would publish a pact missing the others.
function allPassed(task: TaskLike): boolean {
  if (task.tasks) return task.tasks.every(allPassed);
  return task.result?.state === 'pass';
}

/**
 * A V4 pact for a consumer test file. Pact writes it into a fresh directory; when every test of the file
 * ran and passed, it is published into {@link pactsDir} with the package versions added under
 * `metadata.poshub`, formatted by the repository's Biome, and rewritten only when its content changed, so
 * running the consumer tests again leaves no diff. A failing or filtered run publishes nothing and leaves
 * the committed pact as it was. Call it at the top level of a test file.
 */
export function consumerPact(parties: { consumer: PactParty; provider: PactParty }): ConsumerPact {
  const work = mkdtempSync(join(tmpdir(), 'poshub-pact-'));
  const name = `${parties.consumer.name}-${parties.provider.name}.json`;
  const file = join(pactsDir(), name);
  const pact = new PactV4({
    consumer: parties.consumer.name,
    provider: parties.provider.name,
    dir: work,
    logLevel: 'warn',
  });
  // biome-ignore lint/correctness/noEmptyPattern: vitest wants a destructuring first parameter to pass the suite
  afterAll(({}, suite) => {
    try {
      if (allPassed(suite as TaskLike)) publish(join(work, name), file, versionsOf(parties));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
  return { pact, file };
}

function versionsOf(parties: { consumer: PactParty; provider: PactParty }): PactVersions {
  if (!parties.consumer.packageDir)
    throw new Error(`the consumer ${parties.consumer.name} needs a packageDir`);
  return {
    consumer: packageInfo(parties.consumer.packageDir),
    ...(parties.provider.packageDir ? { provider: packageInfo(parties.provider.packageDir) } : {}),
  };
}

function publish(written: string, file: string, versions: PactVersions): void {
  let pact: { metadata?: Record<string, unknown> };
  try {
    pact = JSON.parse(readFileSync(written, 'utf8'));
  } catch {
    return; // no interaction ran to completion: nothing to publish
  }
  pact.metadata = { ...pact.metadata, poshub: versions };
  const text = formatJson(JSON.stringify(pact, null, 2));
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return;
  mkdirSync(join(file, '..'), { recursive: true });
  // Written whole, then renamed: the pact check reading it at the same time sees the old or the new file.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, text);
  renameSync(partial, file);
}

/** JSON formatted as `biome check` wants it, so committed pacts pass the lint. */
export function formatJson(text: string): string {
  return execFileSync(
    join(REPO, 'node_modules', '.bin', 'biome'),
    ['format', '--stdin-file-path=pact.json'],
    { cwd: REPO, input: text, encoding: 'utf8' },
  );
}
