/** @sparkads/feed: sponsored posts from a sparkads server in any web feed.
 *
 *   const feed = new SparkadsFeed({ endpoint: "/sparkads" });   // your proxy, or the server
 *   const [decision] = await feed.decide({ viewer_id, country: "FR" });
 *   if (decision) list.append(feed.render(decision));            // or your own renderer + observe()
 *
 * Views are measured with IntersectionObserver (impression at >= 50 % on screen for 1 s, 2- and
 * 6-second views), play progress from <video> elements; events go in batches, with retries and
 * back-off, kept in localStorage while offline, flushed with sendBeacon when the page is hidden. */

import { renderCard } from "./card.js";
import { type Lang, pickLang } from "./i18n.js";
import { EventQueue, type KeyValueStore } from "./queue.js";
import type { ApiError, Decision, DecisionsAnswer, EventType, Outcome, QueuedEvent, Viewer } from "./types.js";
import { counts, playMilestones, ViewClock } from "./viewability.js";

export { callToAction, pickLang } from "./i18n.js";
export { backoff, EventQueue, retriable } from "./queue.js";
export type { KeyValueStore, QueueOptions, Sender, WireEvent } from "./queue.js";
export * from "./types.js";
export { counts, PLAY_MILESTONES, playMilestones, VIEW_MILESTONES, ViewClock } from "./viewability.js";

export interface FeedOptions {
  /** The sparkads server, or a path of your own server that forwards to it (recommended: your
   * server adds the feed token, so it never reaches the browser). */
  endpoint: string;
  decisionsPath?: string;
  eventsPath?: string;
  /** Extra request headers, e.g. `Authorization: Bearer <feed token>` or a CSRF header. With
   * headers, page-hide flushes use a keepalive fetch instead of sendBeacon (which cannot send any). */
  headers?: Record<string, string>;
  credentials?: RequestCredentials;
  /** "en" or "fr" (any fr-* locale); by default the page's <html lang>, then the browser's. */
  lang?: string;
  batchSize?: number;
  flushDelayMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Where the queue survives reloads; localStorage by default, null for memory only. */
  storage?: KeyValueStore | null;
  storageKey?: string;
  /** Send when events happened: "delayed" (default: only for events that waited over 30 s, so a
   * device's wrong clock does not matter otherwise), "always" or "never". */
  timestamps?: "delayed" | "always" | "never";
  /** Every event's fate: accepted, duplicate, rejected (by the server, with a reason), dropped
   * (request refused: never retried), unsupported (a type this server refused before). */
  onEvent?: (event: QueuedEvent, outcome: Outcome, reason: string | null) => void;
}

/** A refused decisions request: the server's error code, message, cause and solution. */
export class SparkadsApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(`${error.code}: ${error.message}`);
    this.name = "SparkadsApiError";
  }
}

type Target = Decision | string;
const tokenOf = (target: Target): string => (typeof target === "string" ? target : target.token);

function defaultStorage(): KeyValueStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null; // denied (sandboxed frame, privacy settings)
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

interface Watched {
  clock: ViewClock;
  ratio: number;
  covered: number;
  stop: () => void;
}

export class SparkadsFeed {
  readonly lang: Lang;
  readonly queue: EventQueue;
  private readonly base: string;
  private readonly watched = new Map<Element, Watched>();
  private readonly observer: IntersectionObserver | null;
  private readonly listeners: [EventTarget, string, EventListener][] = [];

  constructor(private readonly options: FeedOptions) {
    this.base = options.endpoint.replace(/\/+$/, "");
    this.lang = pickLang(options.lang || document.documentElement.lang || navigator.language);
    const eventsUrl = this.base + (options.eventsPath ?? "/api/v1/events");
    const headers = { "Content-Type": "application/json", ...options.headers };
    const credentials = options.credentials ?? "same-origin";
    this.queue = new EventQueue(
      {
        post: async (events) => {
          const response = await fetch(eventsUrl, {
            method: "POST",
            headers,
            credentials,
            body: JSON.stringify({ events }),
          });
          return { status: response.status, body: await readJson(response) };
        },
        beacon: (events) => {
          const body = JSON.stringify({ events });
          if (!options.headers && typeof navigator.sendBeacon === "function") {
            return navigator.sendBeacon(eventsUrl, new Blob([body], { type: "application/json" }));
          }
          void fetch(eventsUrl, { method: "POST", headers, credentials, body, keepalive: true }).catch(() => undefined);
          return true;
        },
      },
      {
        batchSize: options.batchSize ?? 20,
        flushDelayMs: options.flushDelayMs ?? 1000,
        retryBaseMs: options.retryBaseMs ?? 1000,
        retryMaxMs: options.retryMaxMs ?? 60_000,
        storage: options.storage === undefined ? defaultStorage() : options.storage,
        storageKey: options.storageKey ?? "sparkads-feed-queue",
        isOnline: () => navigator.onLine !== false,
        random: Math.random,
        now: () => new Date(),
        onOutcome: options.onEvent,
        timestamps: options.timestamps ?? "delayed",
      },
    );
    this.observer =
      typeof IntersectionObserver === "undefined"
        ? null
        : new IntersectionObserver((entries) => this.seen(entries), { threshold: [0, 0.25, 0.5, 0.75, 1] });
    this.listen(window, "online", () => this.queue.online());
    this.listen(window, "pagehide", () => this.queue.hide());
    this.listen(document, "visibilitychange", () => {
      if (document.visibilityState === "hidden") this.queue.hide();
      for (const [, watched] of this.watched) this.recount(watched);
    });
  }

  /** Sponsored posts for this viewer (up to `slots`, 1 to 10); [] when none fits. */
  async decide(viewer: Viewer, slots = 1): Promise<Decision[]> {
    const response = await fetch(this.base + (this.options.decisionsPath ?? "/api/v1/feed/decisions"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": this.lang, ...this.options.headers },
      credentials: this.options.credentials ?? "same-origin",
      body: JSON.stringify({ viewer, slots }),
    });
    const body = await readJson(response);
    if (!response.ok) {
      const error = (body as { error?: ApiError } | null)?.error;
      throw new SparkadsApiError(response.status, error ?? { code: "http_error", message: `HTTP ${response.status}` });
    }
    return (body as DecisionsAnswer).decisions;
  }

  /** The default card for a decision, already measured (views, plays, click, like). */
  render(decision: Decision): HTMLElement {
    const card = renderCard(decision, this.lang, {
      click: () => void this.track(decision, "click").then((outcome) => mark(card, "click", outcome)),
      like: async () => {
        const outcome = await this.track(decision, "like");
        mark(card, "like", outcome);
        return outcome === "accepted" || outcome === "duplicate";
      },
    });
    this.observe(card, decision);
    return card;
  }

  /** Measure a card you render yourself: views while it is on screen, play progress of the
   * <video> elements inside it. Returns a function that stops measuring. */
  observe(element: Element, target: Target): () => void {
    this.watched.get(element)?.stop();
    const token = tokenOf(target);
    const played = new Set<EventType>();
    const videos = Array.from(element.querySelectorAll("video"));
    const onTime = (event: Event): void => {
      const video = event.target as HTMLVideoElement;
      const fraction = event.type === "ended" ? 1 : video.currentTime / video.duration;
      for (const type of playMilestones(fraction, played)) {
        played.add(type);
        void this.track(token, type);
      }
    };
    for (const video of videos) {
      video.addEventListener("timeupdate", onTime);
      video.addEventListener("ended", onTime);
    }
    const clock = new ViewClock((type) => {
      void this.track(token, type).then((outcome) => mark(element, type, outcome));
    });
    const watched: Watched = {
      clock,
      ratio: 0,
      covered: 0,
      stop: () => {
        clock.stop();
        this.observer?.unobserve(element);
        for (const video of videos) {
          video.removeEventListener("timeupdate", onTime);
          video.removeEventListener("ended", onTime);
        }
        this.watched.delete(element);
      },
    };
    this.watched.set(element, watched);
    this.observer?.observe(element);
    return watched.stop;
  }

  /** Record what the viewer did with a sponsored post (click, like, share, follow...). The
   * promise settles once the server has answered, which may be much later when offline. */
  track(target: Target, type: EventType, at?: Date): Promise<Outcome> {
    return this.queue.add(tokenOf(target), type, at);
  }

  /** Send what is queued now rather than after the batching delay. */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  /** Stop measuring and listening (the queue stays in storage for the next page). */
  destroy(): void {
    for (const [, watched] of this.watched) watched.stop();
    this.observer?.disconnect();
    for (const [target, type, listener] of this.listeners) target.removeEventListener(type, listener);
    this.queue.dispose();
  }

  private listen(target: EventTarget, type: string, listener: EventListener): void {
    target.addEventListener(type, listener);
    this.listeners.push([target, type, listener]);
  }

  private seen(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      const watched = this.watched.get(entry.target);
      if (!watched) continue;
      watched.ratio = entry.isIntersecting ? entry.intersectionRatio : 0;
      // A card taller than the viewport is hard or impossible to get half on screen: covering
      // half the viewport counts too (as the MRC's rule for large ads).
      const viewport = entry.rootBounds?.height ?? window.innerHeight;
      watched.covered = viewport > 0 ? entry.intersectionRect.height / viewport : 0;
      this.recount(watched);
    }
  }

  private recount(watched: Watched): void {
    const visible = document.visibilityState !== "hidden";
    watched.clock.update(counts(Math.max(watched.ratio, watched.covered >= 0.5 ? 1 : 0), visible));
  }
}

/** The events acknowledged for a card, on the element (data-sparkads-events="impression view_2s"),
 * for the page's own use and for tests. */
function mark(element: Element, type: EventType, outcome: Outcome): void {
  if (!(element instanceof HTMLElement) || (outcome !== "accepted" && outcome !== "duplicate")) return;
  const done = new Set((element.dataset.sparkadsEvents ?? "").split(" ").filter(Boolean));
  done.add(type);
  element.dataset.sparkadsEvents = Array.from(done).join(" ");
}
