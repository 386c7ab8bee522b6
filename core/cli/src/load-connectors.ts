import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DeliveryTarget } from '@poshub/dispatch';
import { isConnectorDefinition, type LogLevel, type StartOptions, startConnector } from '@poshub/sdk';

/** Why a connectors module could not be used. */
export class ConnectorsModuleError extends Error {
  override name = 'ConnectorsModuleError';
}

/** An SDK connector as a connectors module lists it: the definition, its config, and how to run it. */
export interface ConnectorEntry extends Pick<StartOptions, 'id' | 'subscribes' | 'delivery'> {
  connector: unknown;
  config: unknown;
}

const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error'];

async function resolveExport(value: unknown, env: NodeJS.ProcessEnv): Promise<unknown> {
  return typeof value === 'function' ? await (value as (env: NodeJS.ProcessEnv) => unknown)(env) : value;
}

/** Starts each SDK connector entry; every problem is reported with the connector and the path, never a secret. */
function startEntries(file: string, entries: unknown[], env: NodeJS.ProcessEnv): DeliveryTarget[] {
  const level = LEVELS.includes(env.POSHUB_LOG_LEVEL ?? '') ? (env.POSHUB_LOG_LEVEL as LogLevel) : 'info';
  const failures: string[] = [];
  const targets: DeliveryTarget[] = [];
  entries.forEach((value, i) => {
    const entry = value as Partial<ConnectorEntry> | null;
    const where = `connector ${i}`;
    if (!entry || typeof entry !== 'object')
      throw new ConnectorsModuleError(`${file}: ${where} is not an object`);
    if (!isConnectorDefinition(entry.connector)) {
      throw new ConnectorsModuleError(
        `${file}: ${where}: "connector" must be a definition made by defineConnector (@poshub/sdk)`,
      );
    }
    const id = entry.id ?? entry.connector.id;
    const started = startConnector(entry.connector, entry.config, {
      ...(entry.id === undefined ? {} : { id: entry.id }),
      ...(entry.subscribes ? { subscribes: entry.subscribes } : {}),
      ...(entry.delivery ? { delivery: entry.delivery } : {}),
      log: { level },
    });
    if (started.ok) targets.push(started.target);
    else {
      const name = id === entry.connector.id ? id : `${id} (${entry.connector.id})`;
      failures.push(
        `connector ${name} ${entry.connector.version} cannot start:\n${started.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      );
    }
  });
  if (failures.length > 0) throw new ConnectorsModuleError(`${file}:\n${failures.join('\n')}`);
  return targets;
}

/**
 * Loads the connectors a hub dispatches to from a module (`--connectors` or `POSHUB_CONNECTORS`):
 * - its `targets` export, or its default export: an array of delivery targets or a function returning one
 *   (sync or async, given the environment), each checked for an id, types and a handle function;
 * - its `connectors` export: an array (or such a function) of SDK connectors, `{ connector, config, id?,
 *   subscribes?, delivery? }`, each started with `startConnector`; config problems are refused with the
 *   connector and each path and message (secrets are never printed).
 * Ids must be unique; anything else is refused with the module and the offending entry named.
 */
export async function loadConnectors(path: string, env: NodeJS.ProcessEnv): Promise<DeliveryTarget[]> {
  const file = resolve(path);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConnectorsModuleError(`cannot load connectors from ${file}: ${(error as Error).message}`);
  }
  const raw = mod.targets ?? mod.default;
  const exported = raw === undefined && mod.connectors !== undefined ? [] : await resolveExport(raw, env);
  if (!Array.isArray(exported)) {
    throw new ConnectorsModuleError(
      `${file} must export "targets" (or a default export), an array of delivery targets or a function returning one, or "connectors", SDK connectors with their config`,
    );
  }
  const ids = new Set<string>();
  exported.forEach((t: Partial<DeliveryTarget> | null, i) => {
    const where = `${file}: target ${i}`;
    if (!t || typeof t !== 'object') throw new ConnectorsModuleError(`${where} is not an object`);
    // The lane id's exact form (lower-case letters, digits, hyphens) is checked by the transport at start-up.
    if (typeof t.id !== 'string' || t.id === '')
      throw new ConnectorsModuleError(`${where}: id must be a string`);
    if (!Array.isArray(t.types) || t.types.length === 0 || t.types.some((x) => typeof x !== 'string')) {
      throw new ConnectorsModuleError(`${where} (${t.id}): types must be a non-empty list of event types`);
    }
    if (typeof t.handle !== 'function')
      throw new ConnectorsModuleError(`${where} (${t.id}): handle is not a function`);
    if (ids.has(t.id)) throw new ConnectorsModuleError(`${where}: id ${t.id} is used twice`);
    ids.add(t.id);
  });
  const entries = await resolveExport(mod.connectors, env);
  if (entries !== undefined && !Array.isArray(entries)) {
    throw new ConnectorsModuleError(
      `${file}: "connectors" must be an array of { connector, config } or a function returning one`,
    );
  }
  const started = startEntries(file, entries ?? [], env);
  for (const t of started) {
    if (ids.has(t.id)) {
      throw new ConnectorsModuleError(`${file}: id ${t.id} is used twice (give one of them its own "id")`);
    }
    ids.add(t.id);
  }
  return [...(exported as DeliveryTarget[]), ...started];
}
