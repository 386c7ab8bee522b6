import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectorsModuleError, loadConnectors } from './load-connectors.ts';

describe('loadConnectors', () => {
  let dir: string;
  const module = async (name: string, source: string) => {
    const file = join(dir, name);
    await writeFile(file, source);
    return file;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'poshub-connectors-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('takes a "targets" array, or a default export function given the environment', async () => {
    const a = await module(
      'a.mjs',
      `export const targets = [{ id: 'erp', types: ['sale.completed.v1'], handle: async () => ({ ok: true }) }];`,
    );
    expect((await loadConnectors(a, {})).map((t) => t.id)).toEqual(['erp']);
    const b = await module(
      'b.mjs',
      `export default async (env) => [{ id: env.ID, types: ['sale.completed.v1'], handle: async () => ({ ok: true }) }];`,
    );
    expect((await loadConnectors(b, { ID: 'crm' })).map((t) => t.id)).toEqual(['crm']);
  });

  it.each([
    ['no export', `export const x = 1;`, /must export "targets"/],
    ['not an object', `export const targets = [42];`, /target 0 is not an object/],
    ['no id', `export const targets = [{ types: ['a'], handle() {} }];`, /target 0: id must be a string/],
    [
      'no types',
      `export const targets = [{ id: 'x', types: [], handle() {} }];`,
      /\(x\): types must be a non-empty list/,
    ],
    ['no handle', `export const targets = [{ id: 'x', types: ['a'] }];`, /\(x\): handle is not a function/],
    [
      'a repeated id',
      `const t = { id: 'x', types: ['a'], handle() {} }; export const targets = [t, t];`,
      /target 1: id x is used twice/,
    ],
  ])('refuses %s, naming the module and the entry', async (name, source, message) => {
    const file = await module(`${name.replaceAll(' ', '-')}.mjs`, source);
    const error = await loadConnectors(file, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorsModuleError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
  });

  describe('SDK connectors ("connectors" export)', () => {
    // The temporary modules live outside the workspace, so they import the SDK by its file URL.
    const sdk = pathToFileURL(createRequire(import.meta.url).resolve('@poshub/sdk')).href;
    const withConnector = (exports: string) => `
      import { defineConnector, httpsUrl, secret, z } from '${sdk}';
      const erp = defineConnector({
        id: 'erp-echo', version: '1.0.0', coreCompat: '^0.1.0', role: 'erp',
        capabilities: { orderedPerStore: true, idempotentWrites: true },
        config: z.object({ baseUrl: httpsUrl(), apiKey: secret(z.string().min(12)) }),
        subscribes: { types: ['sale.completed.v1', 'return.completed.v1'] },
        async handle(event, ctx) { return ctx.config.apiKey ? { ok: true } : { ok: false, error: { retryable: false, type: 'x', message: 'x' } }; },
      });
      ${exports}`;

    it('starts each connector with its config, next to plain targets, per environment', async () => {
      const file = await module(
        'sdk-ok.mjs',
        withConnector(`
          export const targets = [{ id: 'raw', types: ['sale.completed.v1'], handle: async () => ({ ok: true }) }];
          export const connectors = (env) => [
            { connector: erp, config: { baseUrl: 'https://erp.example.test', apiKey: env.ERP_KEY } },
            { connector: erp, id: 'erp-echo-eu', config: { baseUrl: 'https://eu.erp.example.test', apiKey: env.ERP_KEY },
              subscribes: { types: ['return.completed.v1'] }, delivery: { maxInFlight: 2 } },
          ];`),
      );
      const targets = await loadConnectors(file, { ERP_KEY: 'erp-key-0123456789' });
      expect(targets.map((t) => [t.id, t.types])).toEqual([
        ['raw', ['sale.completed.v1']],
        ['erp-echo', ['sale.completed.v1', 'return.completed.v1']],
        ['erp-echo-eu', ['return.completed.v1']],
      ]);
      expect(targets[1]).toMatchObject({ orderedPerStore: true });
      expect(targets[2]).toMatchObject({ maxInFlight: 2 });
      const ctx = { idempotencyKey: 'k', attempt: 1, signal: new AbortController().signal };
      expect(await targets[1]!.handle({ id: 'e' } as CanonicalEvent, ctx)).toEqual({ ok: true });
    });

    it('refuses config problems at start, naming the connector and each path, never a secret', async () => {
      const file = await module(
        'sdk-bad.mjs',
        withConnector(`
          export const connectors = [
            { connector: erp, config: { baseUrl: 'https://erp.example.test', apiKey: 'erp-key-0123456789' } },
            { connector: erp, id: 'erp-echo-eu', config: { baseUrl: 'http://erp.example.test', apiKey: 'tiny-secret' } },
          ];`),
      );
      const error = await loadConnectors(file, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorsModuleError);
      const message = (error as Error).message;
      expect(message).toContain(file);
      expect(message).toContain('connector erp-echo-eu (erp-echo) 1.0.0 cannot start:');
      expect(message).toContain('  /config/baseUrl: must use https (http only for 127.0.0.1 or localhost)');
      expect(message).toMatch(/ {2}\/config\/apiKey: .*12/);
      expect(message).not.toContain('tiny-secret');
      expect(message).not.toContain('erp-key-0123456789');
    });

    it.each([
      [
        'an entry that is not a definition',
        `export const connectors = [{ connector: { id: 'x' }, config: {} }];`,
        /connector 0: "connector" must be a definition made by defineConnector/,
      ],
      [
        'connectors that is not an array',
        `export const connectors = { erp };`,
        /"connectors" must be an array/,
      ],
      [
        'an id used by a plain target too',
        `export const targets = [{ id: 'erp-echo', types: ['a'], handle() {} }];
         export const connectors = [{ connector: erp, config: { baseUrl: 'https://e.example.test', apiKey: 'erp-key-0123456789' } }];`,
        /id erp-echo is used twice/,
      ],
    ])('refuses %s', async (name, exports, message) => {
      const file = await module(`sdk-${name.replaceAll(' ', '-')}.mjs`, withConnector(exports));
      const error = await loadConnectors(file, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectorsModuleError);
      expect((error as Error).message).toMatch(message);
    });
  });
});
