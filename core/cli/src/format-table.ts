import { type Output, paint } from './output.ts';

type Style = Parameters<typeof paint>[1];

/** One column of a table: its header, a width it is cut to, alignment and a style per cell. */
export interface Column {
  header: string;
  max?: number;
  align?: 'left' | 'right';
  style?: (cell: string) => Style | undefined;
}

/** Rows as aligned text lines, header first; cells longer than their column's `max` end in `…`. */
export function formatTable(
  out: Output,
  columns: readonly Column[],
  rows: ReadonlyArray<readonly string[]>,
): string[] {
  const cut = rows.map((row) =>
    columns.map((col, i) => {
      const cell = (row[i] ?? '').replace(/\s+/g, ' ');
      return col.max && cell.length > col.max ? `${cell.slice(0, col.max - 1)}…` : cell;
    }),
  );
  const widths = columns.map((col, i) => Math.max(col.header.length, ...cut.map((row) => row[i]!.length)));
  const line = (cells: readonly string[], header: boolean) =>
    cells
      .map((cell, i) => {
        const col = columns[i]!;
        const last = i === cells.length - 1;
        const padded =
          col.align === 'right' ? cell.padStart(widths[i]!) : last ? cell : cell.padEnd(widths[i]!);
        const style = header ? 'bold' : col.style?.(cell);
        return style ? paint(out, style, padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      true,
    ),
    ...cut.map((row) => line(row, false)),
  ];
}

/** An ISO instant to the second, for tables: 2026-03-14 18:02:11Z. */
export function shortInstant(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : '';
}

/** The colour of a delivery status or attempt outcome. */
export function statusStyle(status: string): Style | undefined {
  if (status === 'applied') return 'green';
  if (status === 'dead' || status === 'permanent') return 'red';
  if (status === 'retrying' || status === 'retryable' || status === 'waiting') return 'yellow';
  return undefined;
}
