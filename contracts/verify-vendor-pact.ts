import './pact-do-not-track.ts';
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Verifier } from '@pact-foundation/pact';
import type { PactVersions } from './consumer-pact.ts';
import { writeVendorVerification } from './vendor-verification.ts';

const USAGE = `Usage: bash infra/local/node.sh contracts/verify-vendor-pact.ts <pact file> --provider-url <url> [--states-url <url>] [--header 'name: value']...

Verifies a connector's pact with a vendor's API against that API (a sandbox, or your own instance) and, when
it passes, records it in contracts/vendor-verifications/ for the pact check (pnpm contracts). Commit the
record with the pact. Run it again whenever the pact changes.

  --provider-url <url>  the API's base URL
  --states-url <url>    the API's provider-state endpoint, if it has one: each state of the pact is POSTed
                        to it as { state, params, action: "setup" | "teardown" } around its interactions
  --header 'n: v'       a header for every request, e.g. the sandbox's credentials (repeat; never recorded)`;

/** Runs the command; returns the exit code. */
export async function verifyVendorPact(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { file, values } = parsed;
  const pact = JSON.parse(readFileSync(file, 'utf8')) as {
    provider: { name: string };
    interactions?: Array<{ providerStates?: Array<{ name: string }> }>;
    metadata?: { poshub?: PactVersions };
  };
  const consumer = pact.metadata?.poshub?.consumer;
  if (!consumer) {
    process.stderr.write(`${file} was not written by a poshub consumer test (no metadata.poshub)\n`);
    return 2;
  }
  const url = new URL(values['provider-url']!);
  try {
    await new Verifier({
      provider: pact.provider.name,
      providerBaseUrl: url.href.replace(/\/$/, ''),
      pactUrls: [file],
      stateHandlers: stateHandlers(pact.interactions ?? [], values['states-url']),
      customProviderHeaders: values.header ?? [],
      logLevel: 'warn',
    }).verifyProvider();
  } catch (error) {
    // The verifier printed each failure; its error is the same again as JSON.
    const message = (error as Error).message;
    const reason = message.startsWith('{') ? 'the failures are listed above' : message;
    process.stderr.write(`✖ ${basename(file)} does not verify against ${url.origin}: ${reason}\n`);
    return 1;
  }
  const record = writeVendorVerification(file, {
    consumer,
    provider: pact.provider.name,
    against: url.origin,
    verifiedAt: new Date().toISOString(),
  });
  process.stderr.write(`✔ ${basename(file)} verifies against ${url.origin}; recorded in ${record}\n`);
  return 0;
}

/**
 * A handler per provider state of the pact: each asks the API's state endpoint (when given) to set the
 * state up or tear it down, with Pact's usual body `{ state, params, action }`.
 */
function stateHandlers(
  interactions: ReadonlyArray<{ providerStates?: Array<{ name: string }> }>,
  statesUrl: string | undefined,
): Record<
  string,
  { setup: (params?: unknown) => Promise<void>; teardown: (params?: unknown) => Promise<void> }
> {
  const call = (state: string, action: 'setup' | 'teardown') => async (params?: unknown) => {
    if (!statesUrl) return;
    const res = await fetch(statesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state, params: params ?? {}, action }),
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok) throw new Error(`${statesUrl} answered ${res.status} to ${action} "${state}"`);
  };
  const names = new Set(interactions.flatMap((i) => (i.providerStates ?? []).map((s) => s.name)));
  return Object.fromEntries(
    [...names].map((n) => [n, { setup: call(n, 'setup'), teardown: call(n, 'teardown') }]),
  );
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'provider-url': { type: 'string' },
      'states-url': { type: 'string' },
      header: { type: 'string', multiple: true },
    },
  });
  if (positionals.length !== 1) throw new Error('give one pact file');
  if (!values['provider-url'] || !URL.canParse(values['provider-url']))
    throw new Error('--provider-url is required');
  return { file: resolve(positionals[0]!), values };
}

if (import.meta.main) process.exitCode = await verifyVendorPact(process.argv.slice(2));
