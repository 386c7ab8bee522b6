import { describe, expect, it } from 'vitest';
import { type RawRow, RowSplitter } from './row-splitter.ts';

const split = (text: string | Buffer, cuts: number[], csv = false, maxRowBytes = 1024) => {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const rows: Array<RawRow & { text: string }> = [];
  const emit = (r: RawRow) => rows.push({ ...r, text: r.bytes.toString() });
  const splitter = new RowSplitter({ offset: 0, lines: 0, carry: Buffer.alloc(0), csv, maxRowBytes });
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    splitter.push(bytes.subarray(at, cut), emit);
    at = cut;
  }
  splitter.finish(emit);
  return rows.map(({ text: t, line, end, tooLong }) => ({ text: t, line, end, tooLong }));
};

describe('RowSplitter', () => {
  const ndjson = '{"a":1}\n{"b":"é"}\r\n\n{"c":3}';

  it('cuts NDJSON at line ends, wherever the chunks are cut, with lines and offsets', () => {
    const whole = split(ndjson, []);
    expect(whole).toEqual([
      { text: '{"a":1}\n', line: 1, end: 8, tooLong: false },
      { text: '{"b":"é"}\r\n', line: 2, end: 20, tooLong: false },
      { text: '\n', line: 3, end: 21, tooLong: false },
      { text: '{"c":3}', line: 4, end: 28, tooLong: false },
    ]);
    const length = Buffer.byteLength(ndjson);
    for (let a = 0; a <= length; a++) {
      for (let b = a; b <= length; b += 3) expect(split(ndjson, [a, b])).toEqual(whole);
    }
  });

  it('keeps a CSV row whole across line ends inside quotes, doubled quotes included', () => {
    const csv = 'sku,name\n1,"two\nlines"\n2,"say ""hi""\n and go"\n3,x\n';
    const whole = split(csv, [], true);
    expect(whole.map((r) => [r.text, r.line])).toEqual([
      ['sku,name\n', 1],
      ['1,"two\nlines"\n', 2],
      ['2,"say ""hi""\n and go"\n', 4],
      ['3,x\n', 6],
    ]);
    for (let a = 0; a <= csv.length; a++) expect(split(csv, [a], true)).toEqual(whole);
  });

  it('resumes from a carry: a second splitter continues offsets, lines and the cut row', () => {
    const text = 'r1\nr2\nr3-long\nr4\n';
    const first: RawRow[] = [];
    const a = new RowSplitter({ offset: 0, lines: 0, carry: Buffer.alloc(0), csv: false, maxRowBytes: 100 });
    a.push(Buffer.from(text.slice(0, 8)), (r) => first.push(r));
    expect(first.map((r) => r.bytes.toString())).toEqual(['r1\n', 'r2\n']);
    expect(a.tail.toString()).toBe('r3');
    const rest: RawRow[] = [];
    const b = new RowSplitter({
      offset: a.offset,
      lines: a.lines,
      carry: a.tail,
      csv: false,
      maxRowBytes: 100,
    });
    b.push(Buffer.from(text.slice(8)), (r) => rest.push(r));
    expect(rest.map((r) => [r.bytes.toString(), r.line, r.end])).toEqual([
      ['r3-long\n', 3, 14],
      ['r4\n', 4, 17],
    ]);
  });

  it('reports a row over the limit once, by its start, and goes on at the next line end', () => {
    const long = `${'x'.repeat(50)}\nok\n${'y'.repeat(30)}`;
    const rows = split(long, [10, 20, 30], false, 16);
    expect(rows.map((r) => [r.text[0], r.line, r.tooLong])).toEqual([
      ['x', 1, true],
      ['o', 2, false],
      ['y', 3, true],
    ]);
    expect(rows[0]!.end).toBe(51);
  });

  it('drops a UTF-8 byte order mark at the start of the upload only', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n1,2\n')]);
    expect(split(bom, [1], true).map((r) => r.text)).toEqual(['a,b\n', '1,2\n']);
  });
});
