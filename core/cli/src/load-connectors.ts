import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DeliveryTarget } from '@poshub/dispatch';

/** Why a connectors module could not be used. */
export class ConnectorsModuleError extends Error {
  override name = 'ConnectorsModuleError';
}

/**
 * Loads the connectors a hub dispatches to from a module (`--connectors` or `POSHUB_CONNECTORS`): its
 * `targets` export, or its default export, is an array of delivery targets or a function returning one
 * (sync or async, given the environment). Each target is checked for an id, types and a handle function,
 * and ids must be unique; anything else is refused with the module and the offending entry named.
 */
export async function loadConnectors(path: string, env: NodeJS.ProcessEnv): Promise<DeliveryTarget[]> {
  const file = resolve(path);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ConnectorsModuleError(`cannot load connectors from ${file}: ${(error as Error).message}`);
  }
  let exported = mod.targets ?? mod.default;
  if (typeof exported === 'function') exported = await (exported as (env: NodeJS.ProcessEnv) => unknown)(env);
  if (!Array.isArray(exported)) {
    throw new ConnectorsModuleError(
      `${file} must export "targets" (or a default export): an array of delivery targets or a function returning one`,
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
  return exported as DeliveryTarget[];
}
