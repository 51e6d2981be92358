/** The event queue: batches, retries with exponential back-off, survives going offline and page
 * reloads (in storage), and is idempotent by design: the server counts one event per (decision,
 * type), so sending one again after an unanswered request can never count twice; the queue also
 * never queues the same (decision, type) twice itself. */

import { OPTIONAL_TYPES, type EventType, type EventsAnswer, type Outcome, type QueuedEvent } from "./types.js";

export interface Sender {
  /** POST the batch; resolve with the HTTP status and parsed body (null if none), reject when
   * the network failed (offline, connection refused, timeout). */
  post(events: WireEvent[]): Promise<{ status: number; body: unknown }>;
  /** Fire-and-forget on page hide (sendBeacon or a keepalive fetch); false if not handed over. */
  beacon(events: WireEvent[]): boolean;
}

/** An event as sent: occurred_at only when it matters (see QueueOptions.timestamps). */
export interface WireEvent {
  token: string;
  type: EventType;
  occurred_at?: string;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface QueueOptions {
  batchSize: number;
  /** Wait this long after an event before sending, to batch with the next ones. */
  flushDelayMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  storage: KeyValueStore | null;
  storageKey: string;
  /** Whether the browser believes it is online; the queue waits for `online()` otherwise. */
  isOnline: () => boolean;
  random: () => number;
  now: () => Date;
  /** When to tell the server when an event happened: "delayed" (default) only for events that
   * waited longer than `delayedMs` (offline, retries), so that a device's wrong clock never
   * matters otherwise; "always"; or "never" (the server's time of receipt). */
  timestamps?: "delayed" | "always" | "never";
  delayedMs?: number;
  onOutcome?: (event: QueuedEvent, outcome: Outcome, reason: string | null) => void;
}

interface Waiter {
  resolve: (outcome: Outcome) => void;
}

const key = (token: string, type: string): string => `${type} ${token}`;

/** Statuses worth trying again later: the request may be fine, the server or the network not. */
export function retriable(status: number): boolean {
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Delay before retry number `attempt` (1, 2, ...): exponential, capped, with full jitter in the
 * upper half so that many clients coming back online do not all retry at once. */
export function backoff(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export class EventQueue {
  private pending: QueuedEvent[] = [];
  /** Every (decision, type) ever queued here, so a repeat is not even sent. */
  private readonly seen = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly refusedTypes = new Set<EventType>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sending = false;
  private attempt = 0;

  constructor(
    private readonly sender: Sender,
    private readonly options: QueueOptions,
  ) {
    this.restore();
  }

  /** Events waiting to be acknowledged (a copy). */
  get size(): number {
    return this.pending.length;
  }

  snapshot(): QueuedEvent[] {
    return this.pending.map((e) => ({ ...e }));
  }

  /** Queue an event; the promise settles with what the server made of it. */
  add(token: string, type: EventType, at?: Date): Promise<Outcome> {
    const id = key(token, type);
    if (this.refusedTypes.has(type)) return Promise.resolve("unsupported");
    const promise = new Promise<Outcome>((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push({ resolve });
      this.waiters.set(id, list);
    });
    if (!this.seen.has(id)) {
      this.seen.add(id);
      this.pending.push({ token, type, occurred_at: (at ?? this.options.now()).toISOString() });
      this.save();
      // During a back-off the retry timer stays: new events go with the next attempt.
      if (this.attempt === 0) this.schedule(this.options.flushDelayMs);
    } else if (!this.pending.some((e) => key(e.token, e.type) === id)) {
      // Already acknowledged earlier in this page: the server would answer "duplicate".
      this.settle({ token, type, occurred_at: "" }, "duplicate", null);
    }
    return promise;
  }

  /** Send what is waiting now (one batch after the other), unless offline or already sending. */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.sending || this.pending.length === 0) return;
    if (!this.options.isOnline()) return; // `online()` resumes
    this.sending = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.slice(0, this.options.batchSize);
        const ok = await this.send(batch);
        if (!ok) {
          this.attempt += 1;
          this.schedule(backoff(this.attempt, this.options.retryBaseMs, this.options.retryMaxMs, this.options.random));
          return;
        }
        this.attempt = 0;
      }
    } finally {
      this.sending = false;
    }
  }

  /** The browser is back online: send now rather than at the next back-off. */
  online(): void {
    this.attempt = 0;
    void this.flush();
  }

  /** The page is going away: hand everything to the browser (sendBeacon). The events stay in
   * storage, so a next page load sends them again if the beacon was lost; the server answers
   * "duplicate" for those it already has. */
  hide(): void {
    if (this.pending.length === 0) return;
    for (let start = 0; start < this.pending.length; start += this.options.batchSize) {
      if (!this.sender.beacon(this.wire(this.pending.slice(start, start + this.options.batchSize)))) return;
    }
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One batch; true when it is settled (acknowledged or dropped), false to retry later. */
  private async send(batch: QueuedEvent[]): Promise<boolean> {
    let answer: { status: number; body: unknown };
    try {
      answer = await this.sender.post(this.wire(batch));
    } catch {
      return false;
    }
    if (answer.status >= 200 && answer.status < 300) {
      const results = (answer.body as EventsAnswer | null)?.results ?? [];
      batch.forEach((event, index) => {
        const result = results.find((r) => r.index === index);
        // An answer without a result for this event still means it was stored or refused.
        this.settle(event, result?.status ?? "accepted", result?.reason ?? null);
      });
      this.remove(batch);
      return true;
    }
    if (retriable(answer.status)) return false;
    // The request itself was refused (4xx): one bad event must not hold back the others, and
    // must never be retried forever. Split until the refused one is alone, then drop it.
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      for (const part of [batch.slice(0, half), batch.slice(half)]) {
        if (!(await this.send(part))) return false;
      }
      return true;
    }
    const [event] = batch as [QueuedEvent];
    const reason = (answer.body as { error?: { code?: string; message?: string } } | null)?.error;
    if (OPTIONAL_TYPES.includes(event.type)) this.refusedTypes.add(event.type);
    this.settle(event, "dropped", reason?.message ?? reason?.code ?? `HTTP ${answer.status}`);
    this.remove(batch);
    return true;
  }

  private wire(batch: QueuedEvent[]): WireEvent[] {
    const mode = this.options.timestamps ?? "delayed";
    const now = this.options.now().getTime();
    const late = this.options.delayedMs ?? 30_000;
    return batch.map(({ token, type, occurred_at }) =>
      mode === "always" || (mode === "delayed" && now - Date.parse(occurred_at) > late)
        ? { token, type, occurred_at }
        : { token, type },
    );
  }

  private remove(batch: QueuedEvent[]): void {
    const gone = new Set(batch.map((e) => key(e.token, e.type)));
    this.pending = this.pending.filter((e) => !gone.has(key(e.token, e.type)));
    this.save();
  }

  private settle(event: QueuedEvent, outcome: Outcome, reason: string | null): void {
    const id = key(event.token, event.type);
    for (const waiter of this.waiters.get(id) ?? []) waiter.resolve(outcome);
    this.waiters.delete(id);
    this.options.onOutcome?.(event, outcome, reason);
  }

  private schedule(delay: number): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  /** Storage is shared by the page's other tabs: their events (unknown here) stay in it. */
  private save(): void {
    const storage = this.options.storage;
    if (storage === null) return;
    try {
      const others = this.stored().filter((e) => !this.seen.has(key(e.token, e.type)));
      const all = [...others, ...this.pending];
      if (all.length === 0) storage.removeItem(this.options.storageKey);
      else storage.setItem(this.options.storageKey, JSON.stringify(all));
    } catch {
      // Storage full or forbidden (private mode): the queue still works for this page.
    }
  }

  private stored(): QueuedEvent[] {
    let saved: unknown;
    try {
      saved = JSON.parse(this.options.storage?.getItem(this.options.storageKey) ?? "[]");
    } catch {
      return [];
    }
    if (!Array.isArray(saved)) return [];
    return saved
      .filter((item) => typeof item?.token === "string" && typeof item?.type === "string")
      .map((item) => ({ token: item.token, type: item.type, occurred_at: String(item.occurred_at) }));
  }

  private restore(): void {
    for (const item of this.stored()) {
      const id = key(item.token, item.type);
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.pending.push(item);
    }
    if (this.pending.length > 0) this.schedule(0);
  }
}
