/** Programmable failures of the fake GitHub. */

export type FaultResponse =
  /** An HTTP status with a GitHub-style JSON error body. */
  | number
  /** Destroy the socket without answering (ECONNRESET on the client). */
  | 'reset'
  /** HTTP 200 with a GraphQL `RATE_LIMITED` error (GitHub's primary GraphQL limit). */
  | 'rate-limited-200'
  /** `timeout-if-nodes-over:N`: 502 when the GraphQL page asks for more than N repositories. */
  | `timeout-if-nodes-over:${number}`
  | { status: number; headers?: Record<string, string>; body?: unknown };

export interface FaultMatch {
  /** Any GraphQL request. */
  graphql?: boolean;
  /** GraphQL operation name. */
  operation?: string;
  /** REST path (without the `/api/v3` prefix) or, for GraphQL, `/graphql`. */
  path?: RegExp;
  method?: string;
}

export interface Fault {
  match: FaultMatch;
  /** How many matching requests it applies to (default 1). `timeout-if-nodes-over` counts only the
   * requests it actually failed. */
  times?: number;
  response: FaultResponse;
}

export interface FaultTarget {
  method: string;
  path: string;
  graphql: boolean;
  operation: string | null;
  /** For GraphQL: the largest `first`/`last` asked on a `repositories` connection. */
  repositoriesRequested: number | null;
}

interface ActiveFault extends Fault {
  left: number;
}

export class FaultQueue {
  private readonly faults: ActiveFault[] = [];

  push(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** Faults not used up yet. */
  get pending(): number {
    return this.faults.filter((f) => f.left > 0).length;
  }

  /** The fault to apply to this request, if any (consumes one use). */
  take(target: FaultTarget): FaultResponse | null {
    for (const fault of this.faults) {
      if (fault.left <= 0 || !matches(fault.match, target)) continue;
      if (typeof fault.response === 'string' && fault.response.startsWith('timeout-if-nodes-over:')) {
        const limit = Number(fault.response.slice('timeout-if-nodes-over:'.length));
        if (target.repositoriesRequested === null || target.repositoriesRequested <= limit) continue;
        fault.left--;
        return 502;
      }
      fault.left--;
      return fault.response;
    }
    return null;
  }
}

function matches(match: FaultMatch, target: FaultTarget): boolean {
  if (match.graphql !== undefined && match.graphql !== target.graphql) return false;
  if (match.operation !== undefined && match.operation !== target.operation) return false;
  if (match.method !== undefined && match.method.toUpperCase() !== target.method) return false;
  if (match.path !== undefined && !match.path.test(target.path)) return false;
  return true;
}
