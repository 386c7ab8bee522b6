import { styleText } from 'node:util';
import type { Problem } from '@poshub/model';

/** Where the CLI writes: stdout for data, stderr for people; colour only on a terminal that wants it. */
export interface Output {
  data(text: string): void;
  /** Raw data without a newline (streamed JSON arrays). */
  write(text: string): void;
  info(text: string): void;
  color: boolean;
}

/** The process's own streams. */
export function processOutput(): Output {
  const color = Boolean(process.stderr.isTTY) && !process.env.NO_COLOR;
  return {
    data: (text) => process.stdout.write(`${text}\n`),
    write: (text) => process.stdout.write(text),
    info: (text) => process.stderr.write(`${text}\n`),
    color,
  };
}

type Style = Parameters<typeof styleText>[0];

/** Styles text when colour is on. */
export function paint(out: Output, style: Style, text: string): string {
  return out.color ? styleText(style, text) : text;
}

/** Problems as an aligned list: code, pointer, message; errors first. */
export function formatProblems(out: Output, problems: readonly Problem[], indent = '  '): string[] {
  const codeWidth = Math.min(32, Math.max(...problems.map((p) => p.code.length)));
  const pointerWidth = Math.min(48, Math.max(...problems.map((p) => (p.pointer || '/').length)));
  return problems.map((p) => {
    const mark = p.severity === 'warning' ? paint(out, 'yellow', '!') : paint(out, 'red', '✖');
    const code = paint(out, p.severity === 'warning' ? 'yellow' : 'red', p.code.padEnd(codeWidth));
    const pointer = paint(out, 'cyan', (p.pointer || '/').padEnd(pointerWidth));
    return `${indent}${mark} ${code}  ${pointer}  ${p.message}`;
  });
}
