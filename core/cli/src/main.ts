#!/usr/bin/env node
import { connectorsCommand } from './connectors-command.ts';
import { demoCommand } from './demo-command.ts';
import { dlqCommand } from './dlq-command.ts';
import { exportCommand } from './export-command.ts';
import { importCommand } from './import-command.ts';
import { newCommand } from './new-connector-command.ts';
import { normalizeCommand } from './normalize-command.ts';
import { processOutput } from './output.ts';
import { replayCommand } from './replay-command.ts';
import { resyncCommand } from './resync-command.ts';
import { serveCommand } from './serve-command.ts';
import { tokenCommand } from './token-command.ts';

const HELP = `poshub: the open-source POS integration hub

Usage: pnpm poshub <command> [options]

Commands:
  normalize <file|->   turn a vendor document (POSLog, Shopify, Square, Lightspeed, Adyen, canonical)
                       into canonical events, or list every problem with it
  serve [--demo]       the ingest API on the embedded default (PGlite, development issuer), or on
                       PostgreSQL and your issuer when DATABASE_URL and OIDC_ISSUER are set
  token                a bearer token from the embedded development issuer
  import <file>        upload an ERP file of products, prices, stock levels or customers (NDJSON or
                       CSV, gzip too) in resumable chunks, with a progress bar
  export sales         a store's sales journal for a business day (NDJSON, resumable), or its summary
  connectors           the connectors a running hub dispatches to, with delivery counts by status
  dlq <subcommand>     its dead-letter queue: list, show (attempts and errors), edit a payload, replay
  replay <connector>   send events to a connector again (a dry run unless --execute)
  resync <connector>   send one transaction, SKU or customer to a connector again (dry run unless --execute)
  demo                 a tour of the normalisers over the bundled vendor samples
  new connector <name> scaffold connectors/<role>-<system>, passing its own tests (docs/connector-guide.md)
  help                 this help

Run "pnpm poshub <command> --help" for a command's options.`;

/** Runs one CLI invocation and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = processOutput();
  const [command, ...rest] = argv;
  switch (command) {
    case 'normalize':
    case 'normalise':
      return normalizeCommand(rest, out, process.stdin);
    case 'demo':
      return demoCommand(rest, out);
    case 'new':
      return newCommand(rest, out);
    case 'serve':
      return serveCommand(rest, out);
    case 'token':
      return tokenCommand(rest, out);
    case 'import':
      return importCommand(rest, out);
    case 'export':
      return exportCommand(rest, out);
    case 'connectors':
      return connectorsCommand(rest, out);
    case 'dlq':
      return dlqCommand(rest, out);
    case 'replay':
      return replayCommand(rest, out);
    case 'resync':
      return resyncCommand(rest, out);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      out.info(HELP);
      return 0;
    default:
      out.info(`poshub: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
