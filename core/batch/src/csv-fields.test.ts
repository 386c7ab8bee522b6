import { describe, expect, it } from 'vitest';
import { CsvFields } from './csv-fields.ts';

describe('CsvFields', () => {
  it('parses one record at a time (quotes, doubled quotes, line ends inside quotes, CRLF, no line end)', () => {
    const fields = new CsvFields();
    const parse = (text: string) => fields.parse(Buffer.from(text));
    expect(parse('a,b,c\n')).toEqual({ ok: true, fields: ['a', 'b', 'c'] });
    expect(parse('1,"x, y","say ""hi"""\r\n')).toEqual({ ok: true, fields: ['1', 'x, y', 'say "hi"'] });
    expect(parse('2,"two\nlines",\n')).toEqual({ ok: true, fields: ['2', 'two\nlines', ''] });
    expect(parse('3,last')).toEqual({ ok: true, fields: ['3', 'last'] });
  });

  it('refuses a malformed record and parses the next one as if nothing happened', () => {
    const fields = new CsvFields();
    expect(fields.parse(Buffer.from('1,x"y,3\n'))).toMatchObject({ ok: false });
    expect(fields.parse(Buffer.from('1,"open\n'))).toEqual({
      ok: false,
      message: 'a quoted field is not closed',
    });
    expect(fields.parse(Buffer.from('4,5\n'))).toEqual({ ok: true, fields: ['4', '5'] });
  });
});
