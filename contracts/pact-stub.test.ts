import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pactsDir } from './consumer-pact.ts';
import { type PactHttpInteraction, type PactStub, startPactStub } from './pact-stub.ts';

const PACT = join(pactsDir(), 'poshub-pos-terminal-poshub-ingest-api.json');
const ACCEPTED = 'a sale with an idempotency key';

/** The interaction's own example request, as a client would send it. */
function exampleRequest(stub: PactStub, i: PactHttpInteraction) {
  const headers = Object.fromEntries(
    Object.entries(i.request.headers ?? {}).map(([k, v]) => [k, v.join(', ')]),
  );
  const content = i.request.body?.content;
  return fetch(`${stub.url}${i.request.path}`, {
    method: i.request.method,
    headers,
    body: content === undefined ? undefined : JSON.stringify(content),
  });
}

let stub: PactStub | undefined;
afterEach(() => stub?.close());

describe('startPactStub (Pact mock server from a committed pact file)', () => {
  it('answers an interaction as the pact says, and then has no mismatch', async () => {
    stub = startPactStub(PACT, { only: (i) => i.description === ACCEPTED });
    expect(stub.interactions.map((i) => i.description)).toEqual([ACCEPTED]);
    expect(stub.mismatches().map((m) => 'type' in m && m.type)).toEqual(['missing-request']);
    const interaction = stub.interactions[0]!;
    const res = await exampleRequest(stub, interaction);
    expect(res.status).toBe(interaction.response.status);
    await res.arrayBuffer();
    expect(stub.mismatches()).toEqual([]);
  });

  it('refuses a request no interaction describes and reports it', async () => {
    stub = startPactStub(PACT, { only: (i) => i.description === ACCEPTED });
    const interaction = stub.interactions[0]!;
    await (await exampleRequest(stub, interaction)).arrayBuffer();
    const res = await fetch(`${stub.url}${interaction.request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"not":"a sale"}',
    });
    expect(res.status).toBe(500);
    await res.arrayBuffer();
    expect(stub.mismatches().map((m) => 'type' in m && m.type)).toContain('request-mismatch');
  });

  it('says when no interaction is chosen', () => {
    expect(() => startPactStub(PACT, { only: () => false })).toThrow(/no interaction/);
  });
});
