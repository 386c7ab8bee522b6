import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { CONNECTOR_ROLES } from '@poshub/sdk';
import { type Output, paint } from './output.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const TEMPLATES = join(import.meta.dirname, '..', 'templates', 'connector');

export const NEW_HELP = `Usage: pnpm poshub new connector <role>-<system> [--dir <repository>]

Creates connectors/<role>-<system>/: a connector package that passes its own tests straight away, with a
config schema (an API key as a secret), a pure mapper of canonical sales and returns with its test, an HTTP
client that classifies the vendor's answers, the connector definition, the SDK's conformance test, a Pact
consumer test of the vendor's API and a README to fill in.

  <role>      one of ${CONNECTOR_ROLES.join(', ')}
  <system>    the vendor system, lowercase letters, digits and hyphens, starting with a letter
  --dir <d>   the repository to create it in (default: this one)

Example: pnpm poshub new connector crm-acme`;

/** The names a template uses for a connector, derived from `<role>-<system>`. */
export interface ConnectorNames {
  /** `crm-acme`: the package suffix and the connector id. */
  name: string;
  role: string;
  /** `big-corp` */
  system: string;
  /** `BigCorp` */
  System: string;
  /** `bigCorp` */
  systemCamel: string;
  /** `big_corp` */
  systemSnake: string;
  /** `BIG_CORP` */
  SYSTEM: string;
  /** `big-corp-api`: the vendor API's name in the pact. */
  provider: string;
}

/** The template names for `<role>-<system>`, or why that name cannot be a connector. */
export function connectorNames(input: string): ConnectorNames | { error: string } {
  const roles = CONNECTOR_ROLES as readonly string[];
  if (!/^[a-z0-9-]+$/.test(input)) {
    return { error: `"${input}" may hold only lowercase letters, digits and hyphens, e.g. crm-acme` };
  }
  const dash = input.indexOf('-');
  const role = dash < 0 ? input : input.slice(0, dash);
  if (!roles.includes(role)) {
    return {
      error: `"${input}" must start with a role, one of ${roles.join(', ')}, then a hyphen and the system, e.g. crm-acme`,
    };
  }
  const system = input.slice(dash + 1);
  if (dash < 0 || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(system)) {
    return {
      error: `"${input}": after "${role}-" comes the system, starting with a letter, with single hyphens between words, e.g. ${role}-acme`,
    };
  }
  if (input.length > 48) {
    return { error: `"${input}" is ${input.length} characters; a connector id has at most 48` };
  }
  const words = system.split('-');
  const System = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return {
    name: input,
    role,
    system,
    System,
    systemCamel: System[0]!.toLowerCase() + System.slice(1),
    systemSnake: words.join('_'),
    SYSTEM: words.join('_').toUpperCase(),
    provider: `${system}-api`,
  };
}

/** A template's text with `{{name}}`-style placeholders filled in. */
export function renderTemplate(text: string, names: ConnectorNames): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    Object.hasOwn(names, key) ? names[key as keyof ConnectorNames] : whole,
  );
}

async function templateFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.tpl'))
    .map((e) => relative(TEMPLATES, join(e.parentPath, e.name)))
    .sort();
}

/** `poshub new connector <role>-<system>`: returns the exit code (2 for a name it refuses). */
export async function newCommand(args: string[], out: Output): Promise<number> {
  const fail = (message: string) => {
    out.info(`${paint(out, 'red', 'error:')} ${message}\n\n${NEW_HELP}`);
    return 2;
  };
  let parsed: { values: { dir?: string; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
  if (parsed.values.help) {
    out.info(NEW_HELP);
    return 0;
  }
  const [kind, name, ...extra] = parsed.positionals;
  if (kind !== 'connector') return fail(`"new" makes a connector: pnpm poshub new connector <role>-<system>`);
  if (name === undefined || extra.length > 0) return fail('give one name, <role>-<system>');
  const names = connectorNames(name);
  if ('error' in names) return fail(names.error);

  const repo = parsed.values.dir ?? REPO;
  const target = join(repo, 'connectors', names.name);
  if (existsSync(target)) {
    out.info(`${paint(out, 'red', 'error:')} ${target} already exists; pick another name or remove it first`);
    return 2;
  }
  const created: string[] = [];
  for (const template of await templateFiles(TEMPLATES)) {
    const path = join(target, renderTemplate(template.slice(0, -'.tpl'.length), names));
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, renderTemplate(await readFile(join(TEMPLATES, template), 'utf8'), names));
    created.push(relative(repo, path));
  }
  // Names of any length come out formatted and with sorted imports, as `biome check` wants them.
  const biome = join(REPO, 'node_modules', '.bin', 'biome');
  if (existsSync(biome)) {
    await promisify(execFile)(biome, ['check', '--write', target], { cwd: repo }).catch((error: Error) => {
      out.info(`${paint(out, 'yellow', '!')} biome could not format the new files: ${error.message}`);
    });
  }
  const dir = `connectors/${names.name}`;
  const pact = `contracts/pacts/poshub-connector-${names.name}-${names.provider}.json`;
  out.info(`${paint(out, 'green', '✔')} created ${dir} (@poshub/connector-${names.name}):`);
  for (const file of created) out.info(`    ${file}`);
  out.info(`
Next steps (docs/connector-guide.md walks through each):
  1. Link the new package into the workspace:
       pnpm install --offline
  2. Run its tests (mapper, conformance kit, Pact consumer test); they pass as generated:
       pnpm exec vitest run ${dir}
  3. Make it ${names.System}'s: the document in src/mapper.ts, the endpoint and answers in src/client.ts,
     the interactions in src/${names.provider}.pact.test.ts, then the README.
  4. Verify the pact against ${names.System}'s API (a sandbox, or your own instance) and commit the record:
       bash infra/local/node.sh contracts/verify-vendor-pact.ts ${pact} --provider-url <url>
  5. Check every pact:
       pnpm contracts`);
  return 0;
}
