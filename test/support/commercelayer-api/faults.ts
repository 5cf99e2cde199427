// What a client's tests need besides a faithful API: faults on demand (the next N requests matching a method and a
// path answer a given status, or lose their connection) and a record of every request, so that a test can assert
// "the second apply made no write request".

export interface FaultRule {
  /** Only this method (any when absent). */
  readonly method?: string;
  /** The request's path: exactly this string (`/api/webhooks`, `/oauth/token`), or any path the pattern matches. */
  readonly path: string | RegExp;
  /** How many matching requests the fault answers (1 when absent). */
  readonly times?: number;
  /** The status to answer, with Commerce Layer's error document for it (401, 403, 404, 422, 429, 500, ...). */
  readonly status?: number;
  /** `Retry-After` in seconds: sent with a 429 (1 when absent) or with any status that names it. */
  readonly retryAfterSeconds?: number;
  /** Destroys the connection instead of answering: the client sees a network error. */
  readonly dropConnection?: boolean;
  /** Waits this long before answering (or before dropping), e.g. to run into a client's timeout. */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The query string, decoded (`{ "filter[q][topic_eq]": "orders.place" }`). */
  readonly query: Readonly<Record<string, string>>;
  /** The status answered, or 0 when the connection was dropped. */
  readonly status: number;
  /** Whether a fault answered instead of the stand-in. */
  readonly fault: boolean;
  readonly at: string;
}

interface ActiveRule {
  readonly rule: FaultRule;
  remaining: number;
}

export class Faults {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    if (rule.status === undefined && !rule.dropConnection) throw new Error("a fault needs a status or dropConnection");
    this.rules.push({ rule, remaining: rule.times ?? 1 });
  }

  /** The fault that answers this request, if any; each answer uses one of its times. */
  take(method: string, path: string): FaultRule | undefined {
    const active = this.rules.find(
      ({ rule, remaining }) =>
        remaining > 0 &&
        (rule.method === undefined || rule.method.toUpperCase() === method) &&
        (typeof rule.path === "string" ? rule.path === path : rule.path.test(path)),
    );
    if (active === undefined) return undefined;
    active.remaining -= 1;
    this.rules = this.rules.filter(({ remaining }) => remaining > 0);
    return active.rule;
  }

  clear(): void {
    this.rules = [];
  }
}
