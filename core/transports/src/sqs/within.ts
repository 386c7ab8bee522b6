/** Options for `SQSClient.send` that abort the call, SDK retries included, after `timeoutMs`. */
export function within(timeoutMs: number): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(timeoutMs) };
}
