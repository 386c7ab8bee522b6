import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { isConnectorDefinition } from './connector-definition.ts';
import { ConnectorDefinitionError, defineConnector } from './define-connector.ts';
import { httpsUrl } from './https-url.ts';
import { secret } from './secret.ts';

const Config = z.object({ baseUrl: httpsUrl(), apiKey: secret(z.string().min(8)) });

const spec = {
  id: 'erp-acme',
  version: '1.2.0',
  coreCompat: '^0.1.0',
  role: 'erp' as const,
  capabilities: { orderedPerStore: true, idempotentWrites: true },
  config: Config,
  subscribes: { types: ['sale.completed.v1' as const] },
  handle: async () => ({ ok: true as const }),
};

function definitionError(patch: Record<string, unknown>): ConnectorDefinitionError {
  try {
    defineConnector({ ...spec, ...patch } as typeof spec);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorDefinitionError);
    return error as ConnectorDefinitionError;
  }
  throw new Error('defineConnector accepted a bad definition');
}

describe('defineConnector', () => {
  it('returns a frozen, branded definition whose handler sees the typed config', () => {
    const connector = defineConnector({
      ...spec,
      async handle(_event, ctx) {
        expectTypeOf(ctx.config.baseUrl).toEqualTypeOf<string>();
        return { ok: true };
      },
    });
    expect(isConnectorDefinition(connector)).toBe(true);
    expect(isConnectorDefinition({ ...spec })).toBe(false);
    expect(Object.isFrozen(connector)).toBe(true);
    expect(Object.isFrozen(connector.subscribes.types)).toBe(true);
    expect(Object.isFrozen(connector.capabilities)).toBe(true);
  });

  it.each([
    ['id', { id: 'ERP_Acme' }, '/id', /lowercase letters, digits and hyphens/],
    ['version', { version: 'one' }, '/version', /semver version/],
    ['coreCompat', { coreCompat: 'not a range' }, '/coreCompat', /semver range/],
    ['role', { role: 'pos' }, '/role', /must be one of erp, oms, crm/],
    ['batch size', { capabilities: { batchSize: 0 } }, '/capabilities/batchSize', /./],
    ['unknown capability', { capabilities: { ordered: true } }, '/capabilities', /ordered/],
    ['config', { config: { baseUrl: 'x' } }, '/config', /zod schema/],
    ['event type', { subscribes: { types: ['sale.done'] } }, '/subscribes/types/0', /canonical event type/],
    ['no event type', { subscribes: { types: [] } }, '/subscribes/types', /at least one/],
    ['handler', { handle: 'no' }, '/handle', /function/],
    ['misspelt field', { capabilites: {} }, '/', /capabilites/],
  ])('refuses a bad %s, naming the field', (_name, patch, path, message) => {
    const error = definitionError(patch);
    const problem = error.problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(error.problems)).toBeDefined();
    expect(problem!.message).toMatch(message);
    expect(error.message).toContain(path);
  });

  it('lists every problem at once', () => {
    const error = definitionError({ id: 'X', version: 'x' });
    expect(error.problems.map((p) => p.path).sort()).toEqual(['/id', '/version']);
    expect(error.message).toMatch(/invalid connector definition "X"/);
  });
});
