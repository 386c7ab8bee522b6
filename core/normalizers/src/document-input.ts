import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DocumentInput } from './normalizer.ts';

/** A document held in memory. */
export function inputFromText(text: string): DocumentInput {
  return {
    text: async () => text,
    async *chunks() {
      for (let i = 0; i < text.length; i += 65536) yield text.slice(i, i + 65536);
    },
  };
}

/** A document on disk, read whole for JSON formats and streamed for POSLog. */
export function inputFromFile(path: string): DocumentInput {
  return {
    text: () => readFile(path, 'utf8'),
    async *chunks() {
      for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 65536 }))
        yield chunk as string;
    },
  };
}

/** A document from a stream (stdin): buffered once, because the format must be detected from its head. */
export async function inputFromStream(stream: AsyncIterable<Buffer | string>): Promise<DocumentInput> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return inputFromText(Buffer.concat(parts).toString('utf8'));
}

/** The first `size` characters of a document, for format detection. */
export async function headOf(input: DocumentInput, size = 8192): Promise<string> {
  let head = '';
  for await (const chunk of input.chunks()) {
    head += chunk;
    if (head.length >= size) break;
  }
  return head.slice(0, size).replace(/^\uFEFF/, '');
}
