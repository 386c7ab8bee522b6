import { type Clock, systemClock } from './clock.ts';
import { redactPersonalData, scrubText } from './redact-personal-data.ts';

/** Log levels, least severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One structured log line, already redacted. */
export interface LogRecord {
  time: string;
  level: LogLevel;
  msg: string;
  [field: string]: unknown;
}

/** Where log records go (stdout as JSON lines by default; an array in tests). */
export type LogSink = (record: LogRecord) => void;

/** The logger a connector gets: structured, and redacting personal data and secrets before any sink. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger adding these fields to every record. */
  child(fields: Record<string, unknown>): Logger;
}

/** Options of `createLogger`. */
export interface LoggerOptions {
  sink?: LogSink;
  /** @default 'info' */
  level?: LogLevel;
  /** Exact strings to scrub wherever they appear (a connector's secret config values). */
  secrets?: readonly string[];
  bindings?: Record<string, unknown>;
  clock?: Clock;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes each record as one JSON line on stdout. */
export const jsonLineSink: LogSink = (record) => {
  process.stdout.write(`${JSON.stringify(record)}\n`);
};

/** A structured logger that redacts e-mail, phone, names, addresses, credentials and given secrets. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? jsonLineSink;
  const min = RANK[options.level ?? 'info'];
  const secrets = options.secrets ?? [];
  const clock = options.clock ?? systemClock;
  const bindings = redactPersonalData(options.bindings ?? {}, secrets) as Record<string, unknown>;
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    const extra = fields ? (redactPersonalData(fields, secrets) as Record<string, unknown>) : {};
    sink({
      ...bindings,
      ...extra,
      time: new Date(clock.now()).toISOString(),
      level,
      msg: scrubText(msg, secrets),
    });
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, bindings: { ...options.bindings, ...fields } }),
  };
}
