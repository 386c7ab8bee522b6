/** What the hub answers about one submitted event, decided inside the committing transaction. */
export type IngestOutcome =
  | { kind: 'created'; status: 201; body: AcceptedBody }
  | { kind: 'duplicate'; status: 200; body: AcceptedBody }
  | { kind: 'replayed'; status: number; body: unknown }
  | { kind: 'key_reused'; status: 422; body: ProblemBody }
  | { kind: 'in_flight'; status: 409; body: ProblemBody }
  | { kind: 'conflict'; status: 409; body: ProblemBody };

/** Body of a 2xx for one event. */
export interface AcceptedBody {
  id: string;
  type: string;
  status: 'accepted' | 'duplicate';
  businessKey: string | null;
  dispatched: boolean;
}

/** RFC 9457 problem details, with poshub's list of problems where there are several. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  problems?: Array<{ code: string; pointer: string; message: string }>;
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://poshub.dev/problems/';

/** A problem document with a stable type URI under poshub's problem namespace. */
export function problemBody(
  slug: string,
  title: string,
  status: number,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  return { type: `${PROBLEM_BASE}${slug}`, title, status, detail, ...extra };
}
