import type { UploadFailure } from './upload-import.ts';

/** An HTTP answer that is not the one asked for: the hub's problem+json when it sent one. */
export function httpFailure(url: string, status: number, text: string): UploadFailure {
  let json: { title?: unknown } | undefined;
  try {
    json = JSON.parse(text) as { title?: unknown };
  } catch {
    json = undefined;
  }
  return json && typeof json.title === 'string'
    ? { kind: 'problem', url, status, problem: json as { title: string } }
    : { kind: 'unexpected', url, status, text: text.slice(0, 300) };
}
