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

/**
 * A document from a stream (stdin), read once: the head is buffered for format detection and replayed,
 * the rest streams through, so a POSLog day piped in is never held whole. `text()` reads it all.
 */
export function inputFromStream(stream: AsyncIterable<Buffer | string>): DocumentInput {
  const decoder = new TextDecoder('utf-8');
  const iterator = stream[Symbol.asyncIterator]();
  const buffered: string[] = [];
  let done = false;
  let consumed = false;

  async function pull(): Promise<string | undefined> {
    if (done) return undefined;
    const next = await iterator.next();
    if (next.done) {
      done = true;
      const tail = decoder.decode();
      return tail === '' ? undefined : tail;
    }
    return typeof next.value === 'string' ? next.value : decoder.decode(next.value, { stream: true });
  }

  async function* chunks(): AsyncGenerator<string> {
    // The first reader (detection) may stop early: what it read is kept and replayed to the next reader.
    if (consumed) throw new Error('a streamed document can be read through only once');
    yield* buffered;
    for (let chunk = await pull(); chunk !== undefined; chunk = await pull()) {
      buffered.push(chunk);
      yield chunk;
      if (buffered.join('').length > 65536) {
        // Past the head: stop keeping chunks; this reader owns the rest of the stream.
        consumed = true;
        buffered.length = 0;
        for (chunk = await pull(); chunk !== undefined; chunk = await pull()) yield chunk;
        return;
      }
    }
  }

  return {
    async text() {
      let all = '';
      for await (const chunk of chunks()) all += chunk;
      return all;
    },
    chunks,
  };
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
