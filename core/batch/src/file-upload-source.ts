import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { UploadSource } from './upload-import.ts';

/** A file on disk as an upload source; a gzip file (by its magic bytes) is uploaded decoded. */
export interface FileUploadSource extends UploadSource {
  /** Size on disk. */
  fileBytes: number;
  gzipped: boolean;
}

async function* skipping(stream: AsyncIterable<Buffer>, skip: number): AsyncGenerator<Buffer> {
  let left = skip;
  for await (const chunk of stream) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

/** The file at `path` as an upload source, read 1 MiB at a time. */
export async function fileUploadSource(path: string): Promise<FileUploadSource> {
  const { size } = await stat(path);
  const handle = await open(path, 'r');
  const magic = Buffer.alloc(2);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const gzipped = size >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  const highWaterMark = 1024 * 1024;
  return {
    fileBytes: size,
    gzipped,
    // A gzip file's decoded length is known only once it is all read: it is not declared.
    length: gzipped ? undefined : size,
    read: (offset) =>
      gzipped
        ? skipping(createReadStream(path, { highWaterMark }).pipe(createGunzip()), offset)
        : createReadStream(path, { start: offset, highWaterMark }),
  };
}

/** sha256 of a file's bytes, hex, read as a stream. */
export async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}
