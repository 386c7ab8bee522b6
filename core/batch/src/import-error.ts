import type { Problem } from '@poshub/model';
import type { ImportStatus } from './import-tables.ts';

/** Why an upload to a job was not (wholly) taken: data for the HTTP edge to turn into a problem. */
export type ImportError =
  /** The client's Upload-Offset is not where the job stands (a chunk sent twice, or out of order). */
  | { code: 'offset_mismatch'; expected: number; provided: number }
  /** The job takes no more bytes. */
  | { code: 'not_receiving'; status: ImportStatus }
  /** The CSV header names unknown columns or misses required ones: the job failed, nothing was committed. */
  | { code: 'csv_header'; problems: Problem[] }
  /** Completed before all the declared bytes arrived. */
  | { code: 'length_mismatch'; length: number; offset: number }
  /** Another upload to the same job committed meanwhile; this one stopped without committing. */
  | { code: 'moved' }
  /** The body broke off (connection lost, corrupt gzip): the rows read before are committed. */
  | { code: 'body_failed'; message: string };
