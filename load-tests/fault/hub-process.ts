import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const MAIN = join(import.meta.dirname, '..', '..', 'core', 'cli', 'src', 'main.ts');

/** A free loopback port, so a restarted hub comes back where its clients expect it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * `pnpm poshub serve` as a child process on a fixed port, started, SIGKILLed and restarted by a fault
 * test. Its output is appended to one log file across restarts.
 */
export class HubProcess {
  readonly url: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #log: WriteStream;
  readonly logFile: string;
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;
  starts = 0;
  /** How long the last start took, spawn to ready. */
  lastStartMs = 0;

  constructor(options: { port: number; env: NodeJS.ProcessEnv; logFile: string }) {
    this.url = `http://127.0.0.1:${options.port}`;
    this.#env = { ...options.env, POSHUB_PORT: String(options.port), NO_COLOR: '1' };
    this.logFile = options.logFile;
    this.#log = createWriteStream(options.logFile, { flags: 'a' });
  }

  /** Starts the hub and resolves once /readyz answers 200; rejects with the log's tail if it dies first. */
  async start(timeoutMs = 90_000): Promise<void> {
    const began = Date.now();
    this.starts++;
    this.#log.write(`\n===== start ${this.starts} at ${new Date().toISOString()} =====\n`);
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', MAIN, 'serve'], {
      env: this.#env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout!.pipe(this.#log, { end: false });
    child.stderr!.pipe(this.#log, { end: false });
    let exitCode: number | null | undefined;
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exitCode !== undefined)
        throw new Error(`the hub exited (${exitCode}) while starting:\n${this.tail()}`);
      const ready = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) {
        this.lastStartMs = Date.now() - began;
        return;
      }
      if (Date.now() > deadline)
        throw new Error(`the hub was not ready within ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and deliveries are cut where they are. */
  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM, then SIGKILL if it has not stopped within the grace. */
  async stop(graceMs = 20_000): Promise<void> {
    if (!this.#child || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.#log.end(resolve));
  }

  /** The last lines of the hub's log. */
  tail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
