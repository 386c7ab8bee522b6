import { readFileSync } from 'node:fs';
import { type MatchingResult, makeConsumerPact } from '@pact-foundation/pact-core';
import './pact-do-not-track.ts';

/** The part of a V4 HTTP interaction a stub needs. */
export interface PactHttpInteraction {
  type: string;
  description: string;
  providerStates?: Array<{ name: string }>;
  request: PactHttpPart & { method: string; path: string; query?: Record<string, string[]> };
  response: PactHttpPart & { status: number };
}

interface PactHttpPart {
  headers?: Record<string, string[]>;
  body?: { content: unknown; contentType?: string; encoded?: boolean | string };
  matchingRules?: Record<string, unknown>;
}

/** A Pact mock server answering a pact file's interactions, and what it saw. */
export interface PactStub {
  url: string;
  /** The interactions it serves, in the pact's order. */
  interactions: readonly PactHttpInteraction[];
  /**
   * Pact's verdict: requests it could not match to an interaction, and interactions it never received.
   * Empty when every interaction was received and nothing else was.
   */
  mismatches(): MatchingResult[];
  close(): void;
}

/** The interactions of a V4 pact file (HTTP only), for choosing which a stub serves. */
export function pactHttpInteractions(pactFile: string): PactHttpInteraction[] {
  const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as { interactions: PactHttpInteraction[] };
  return pact.interactions.filter((i) => i.type === 'Synchronous/HTTP');
}

function bodyText(body: PactHttpPart['body']): string | undefined {
  if (!body) return undefined;
  if (body.encoded) {
    throw new Error(`pact-stub: encoded ${String(body.encoded)} bodies are not supported`);
  }
  return typeof body.content === 'string' ? body.content : JSON.stringify(body.content);
}

/**
 * Starts Pact's own mock server (the FFI, not a re-implementation) on loopback with interactions taken from
 * a committed pact file, matching rules included, so a system under test that is not a unit test (a hub
 * dispatching through a broker) can be held to the same contract its consumer test wrote: every request must
 * match an interaction, and `mismatches()` names any interaction never received.
 */
export function startPactStub(
  pactFile: string,
  options: { only?: (interaction: PactHttpInteraction) => boolean } = {},
): PactStub {
  const pact = JSON.parse(readFileSync(pactFile, 'utf8')) as {
    consumer: { name: string };
    provider: { name: string };
  };
  const interactions = pactHttpInteractions(pactFile).filter(options.only ?? (() => true));
  if (interactions.length === 0) throw new Error(`pact-stub: no interaction of ${pactFile} chosen`);
  const ffi = makeConsumerPact(
    `${pact.consumer.name}-stub`,
    pact.provider.name,
    5, // Pact specification V4 (pact-core's FfiSpecificationVersion is a type only at runtime here)
    'error',
  );
  for (const i of interactions) {
    const it = ffi.newInteraction(i.description);
    it.uponReceiving(i.description);
    for (const state of i.providerStates ?? []) it.given(state.name);
    it.withRequest(i.request.method, i.request.path);
    for (const [name, values] of Object.entries(i.request.query ?? {})) {
      for (const [n, v] of values.entries()) it.withQuery(name, n, v);
    }
    for (const [name, values] of Object.entries(i.request.headers ?? {})) {
      for (const [n, v] of values.entries()) it.withRequestHeader(name, n, v);
    }
    const requestBody = bodyText(i.request.body);
    if (requestBody !== undefined) {
      it.withRequestBody(requestBody, i.request.body?.contentType ?? 'application/json');
    }
    if (i.request.matchingRules) it.withRequestMatchingRules(JSON.stringify(i.request.matchingRules));
    it.withStatus(i.response.status);
    for (const [name, values] of Object.entries(i.response.headers ?? {})) {
      for (const [n, v] of values.entries()) it.withResponseHeader(name, n, v);
    }
    const responseBody = bodyText(i.response.body);
    if (responseBody !== undefined) {
      it.withResponseBody(responseBody, i.response.body?.contentType ?? 'application/json');
    }
    if (i.response.matchingRules) it.withResponseMatchingRules(JSON.stringify(i.response.matchingRules));
  }
  const port = ffi.createMockServer('127.0.0.1', 0, false);
  if (port <= 0) throw new Error(`pact-stub: the mock server for ${pactFile} did not start (${port})`);
  return {
    url: `http://127.0.0.1:${port}`,
    interactions,
    mismatches: () => ffi.mockServerMismatches(port),
    close: () => {
      ffi.cleanupMockServer(port);
    },
  };
}
