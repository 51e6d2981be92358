import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backoff, EventQueue, type KeyValueStore, type QueueOptions, retriable, type Sender } from "../src/queue.js";
import type { WireEvent } from "../src/queue.js";
import type { EventResult, Outcome } from "../src/types.js";

class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

type Reply = { status: number; body: unknown } | "network";

/** A server stand-in that records every batch and answers as told (default: all accepted, once
 * per (token, type), like the real server's dedupe). */
class FakeServer implements Sender {
  readonly batches: WireEvent[][] = [];
  readonly beacons: WireEvent[][] = [];
  readonly stored = new Set<string>();
  replies: Reply[] = [];
  refuseType: string | null = null;

  async post(events: WireEvent[]): Promise<{ status: number; body: unknown }> {
    this.batches.push(events.map((e) => ({ ...e })));
    const reply = this.replies.shift();
    if (reply === "network") throw new TypeError("Failed to fetch");
    if (reply) return reply;
    if (this.refuseType && events.some((e) => e.type === this.refuseType)) {
      return { status: 400, body: { error: { code: "invalid_parameter", message: "Invalid value for events.0.type" } } };
    }
    const results: EventResult[] = events.map((e, index) => {
      const id = `${e.type} ${e.token}`;
      const status = this.stored.has(id) ? "duplicate" : "accepted";
      this.stored.add(id);
      return { index, status, reason: null, billed: 0 };
    });
    return { status: 200, body: { accepted: 0, duplicates: 0, rejected: 0, results } };
  }

  beacon(events: WireEvent[]): boolean {
    this.beacons.push(events);
    return true;
  }

  sentTypes(): string[] {
    return this.batches.flat().map((e) => e.type);
  }
}

function options(overrides: Partial<QueueOptions> = {}): QueueOptions {
  return {
    batchSize: 3,
    flushDelayMs: 100,
    retryBaseMs: 1000,
    retryMaxMs: 8000,
    storage: null,
    storageKey: "q",
    isOnline: () => true,
    random: () => 0.5,
    now: () => new Date(),
    ...overrides,
  };
}

describe("backoff and retriable", () => {
  it("doubles up to the cap, jittered within the upper half", () => {
    expect(backoff(1, 1000, 8000, () => 0)).toBe(500);
    expect(backoff(1, 1000, 8000, () => 1)).toBe(1000);
    expect(backoff(3, 1000, 8000, () => 1)).toBe(4000);
    expect(backoff(10, 1000, 8000, () => 1)).toBe(8000);
    expect(backoff(10, 1000, 8000, () => 0)).toBe(4000);
  });

  it("retries server and network trouble, never a refused request", () => {
    for (const status of [0, 408, 429, 500, 502, 503]) expect(retriable(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 413, 422]) expect(retriable(status)).toBe(false);
  });
});

describe("EventQueue", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("batches events after the delay, in batches of batchSize, and settles each", async () => {
    const server = new FakeServer();
    const queue = new EventQueue(server, options());
    const outcomes = ["a", "b", "c", "d"].map((t) => queue.add(t, "impression"));
    expect(server.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(server.batches.map((b) => b.length)).toEqual([3, 1]);
    expect(await Promise.all(outcomes)).toEqual(["accepted", "accepted", "accepted", "accepted"]);
    expect(queue.size).toBe(0);
    // Sent at once: the server's time of receipt is the time (a device's clock may be wrong).
    expect(server.batches[0]?.[0]).toEqual({ token: "a", type: "impression" });
  });

  it("never queues the same (decision, type) twice", async () => {
    const server = new FakeServer();
    const queue = new EventQueue(server, options());
    const first = queue.add("a", "like");
    const again = queue.add("a", "like");
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toBe("accepted");
    expect(await again).toBe("accepted");
    expect(await queue.add("a", "like")).toBe("duplicate");
    await vi.advanceTimersByTimeAsync(100);
    expect(server.sentTypes()).toEqual(["like"]);
  });

  it("retries with growing back-off after network failures and 5xx, then sends once", async () => {
    const server = new FakeServer();
    server.replies = ["network", { status: 503, body: null }, "network"];
    const queue = new EventQueue(server, options());
    const outcome = queue.add("a", "impression");
    await vi.advanceTimersByTimeAsync(100); // attempt 1: network
    expect(server.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(749); // back-off 1: 750 ms (random 0.5)
    expect(server.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // attempt 2: 503
    expect(server.batches).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1500); // back-off 2: 1500 ms → attempt 3: network
    expect(server.batches).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(3000); // back-off 3: 3000 ms → accepted
    expect(server.batches).toHaveLength(4);
    expect(await outcome).toBe("accepted");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.batches).toHaveLength(4);
  });

  it("a new event during a back-off waits for the retry instead of cutting it short", async () => {
    const server = new FakeServer();
    server.replies = ["network"];
    const queue = new EventQueue(server, options());
    void queue.add("a", "impression");
    await vi.advanceTimersByTimeAsync(100);
    void queue.add("a", "view_2s");
    await vi.advanceTimersByTimeAsync(200);
    expect(server.batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(550);
    expect(server.batches.map((b) => b.map((e) => e.type))).toEqual([["impression"], ["impression", "view_2s"]]);
  });

  it("waits while offline and sends the queue once when back online", async () => {
    const server = new FakeServer();
    let online = false;
    const queue = new EventQueue(server, options({ isOnline: () => online }));
    const outcomes = [queue.add("a", "impression"), queue.add("a", "view_2s")];
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.batches).toHaveLength(0);
    online = true;
    queue.online();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches).toHaveLength(1);
    expect(await Promise.all(outcomes)).toEqual(["accepted", "accepted"]);
    queue.online();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.batches).toHaveLength(1);
  });

  it("tells the server when an event happened only if it waited over 30 s", async () => {
    vi.setSystemTime(new Date("2026-12-06T10:00:00Z"));
    const server = new FakeServer();
    let online = false;
    const queue = new EventQueue(server, options({ isOnline: () => online }));
    void queue.add("a", "like");
    await vi.advanceTimersByTimeAsync(20_000);
    void queue.add("a", "view_2s");
    await vi.advanceTimersByTimeAsync(11_000);
    online = true;
    queue.online();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.batches[0]).toEqual([
      { token: "a", type: "like", occurred_at: "2026-12-06T10:00:00.000Z" },
      { token: "a", type: "view_2s" },
    ]);
    const always = new FakeServer();
    void new EventQueue(always, options({ timestamps: "always" })).add("b", "like");
    await vi.advanceTimersByTimeAsync(100);
    expect(always.batches[0]?.[0]?.occurred_at).toBe("2026-12-06T10:00:31.000Z");
  });

  it("isolates and drops an event the server refuses, keeps the others, stops sending its type", async () => {
    const server = new FakeServer();
    server.refuseType = "play_25";
    const seen: [string, Outcome][] = [];
    const queue = new EventQueue(server, options({ batchSize: 10, onOutcome: (e, o) => seen.push([e.type, o]) }));
    const refused = queue.add("a", "play_25");
    const kept = [queue.add("a", "impression"), queue.add("a", "view_2s")];
    await vi.advanceTimersByTimeAsync(100);
    expect(await refused).toBe("dropped");
    expect(await Promise.all(kept)).toEqual(["accepted", "accepted"]);
    expect([...server.stored].sort()).toEqual(["impression a", "view_2s a"]);
    expect(await queue.add("b", "play_25")).toBe("unsupported");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sentTypes().filter((t) => t === "play_25")).toHaveLength(3); // the batch, its first half, then alone
    expect(queue.size).toBe(0);
    expect(seen).toContainEqual(["play_25", "dropped"]);
  });

  it("a core type refused alone is dropped but still sent for other decisions", async () => {
    const server = new FakeServer();
    server.replies = [{ status: 400, body: { error: { code: "invalid_parameter", message: "bad token" } } }];
    const queue = new EventQueue(server, options());
    const refused = queue.add("x", "like");
    await vi.advanceTimersByTimeAsync(100);
    expect(await refused).toBe("dropped");
    const next = queue.add("y", "like");
    await vi.advanceTimersByTimeAsync(100);
    expect(await next).toBe("accepted");
  });

  it("survives a reload: what was not acknowledged is restored from storage and sent", async () => {
    const storage = new MemoryStore();
    const down = new FakeServer();
    down.replies = ["network"];
    const first = new EventQueue(down, options({ storage }));
    void first.add("a", "impression");
    void first.add("a", "like");
    await vi.advanceTimersByTimeAsync(100);
    first.dispose();
    expect(JSON.parse(storage.getItem("q") ?? "[]")).toHaveLength(2);

    const up = new FakeServer();
    const second = new EventQueue(up, options({ storage }));
    expect(second.size).toBe(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(up.sentTypes()).toEqual(["impression", "like"]);
    expect(second.size).toBe(0);
    expect(storage.getItem("q")).toBeNull();
  });

  it("leaves another tab's stored events alone", async () => {
    const storage = new MemoryStore();
    const otherServer = new FakeServer();
    const otherTab = new EventQueue(otherServer, options({ storage }));
    const offlineTab = new EventQueue(new FakeServer(), options({ storage, isOnline: () => false }));
    void offlineTab.add("a", "like");
    void otherTab.add("b", "impression");
    await vi.advanceTimersByTimeAsync(100);
    expect(otherServer.sentTypes()).toEqual(["impression"]);
    expect(otherTab.size).toBe(0);
    // The other tab emptied its own queue, not the offline tab's stored like.
    expect(JSON.parse(storage.getItem("q") ?? "[]")).toEqual([expect.objectContaining({ token: "a", type: "like" })]);
    offlineTab.dispose();
  });

  it("ignores unreadable storage", () => {
    const storage = new MemoryStore();
    storage.setItem("q", "{not json");
    expect(new EventQueue(new FakeServer(), options({ storage })).size).toBe(0);
    storage.setItem("q", JSON.stringify([{ token: 1 }, { token: "t", type: "like", occurred_at: "x" }]));
    expect(new EventQueue(new FakeServer(), options({ storage })).size).toBe(1);
  });

  it("hands everything to the beacon on page hide, in batches, and keeps it for a next page", async () => {
    const storage = new MemoryStore();
    const server = new FakeServer();
    const queue = new EventQueue(server, options({ storage }));
    for (const token of ["a", "b", "c", "d"]) void queue.add(token, "impression");
    queue.hide();
    expect(server.beacons.map((b) => b.length)).toEqual([3, 1]);
    expect(JSON.parse(storage.getItem("q") ?? "[]")).toHaveLength(4);
  });

  it("counts rejected results (expired token...) as settled, not retried", async () => {
    const server = new FakeServer();
    server.replies = [
      { status: 200, body: { results: [{ index: 0, status: "rejected", reason: "token_expired", billed: 0 }] } },
    ];
    const queue = new EventQueue(server, options());
    const outcome = queue.add("old", "impression");
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toBe("rejected");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.batches).toHaveLength(1);
  });
});
