/** An answer from a target, read completely (bounded) within the request's timeout. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Where the answer came from (redirects are not followed). */
  url: string;
  /** The body as text, cut at the client's limit. */
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json(): unknown;
}
