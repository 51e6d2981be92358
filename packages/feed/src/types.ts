/** What the sparkads feed API exchanges (POST /api/v1/feed/decisions, POST /api/v1/events). */

/** Event types of the feed API. The play_* types are sent from the video element; a server that
 * does not know them yet refuses them, and the client then stops sending them (never retried). */
export type EventType =
  | "impression"
  | "view_2s"
  | "view_6s"
  | "play_25"
  | "play_50"
  | "play_75"
  | "play_100"
  | "complete_view"
  | "click"
  | "like"
  | "comment"
  | "share"
  | "follow"
  | "profile_visit";

/** Types a server may not know yet: refused alone, they are dropped and not sent again. */
export const OPTIONAL_TYPES: readonly EventType[] = ["play_25", "play_50", "play_75", "play_100"];

export interface Viewer {
  /** Opaque and stable per person (hash it first). */
  viewer_id: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  region?: string;
  age?: number;
  gender?: "MALE" | "FEMALE";
  language?: string;
  device?: { os?: "ANDROID" | "IOS"; os_version?: string; network?: string; price?: number };
  interests?: string[];
  behaviours?: { action_scene: string; action: string; category_id: string; days_ago: number }[];
}

export interface Creator {
  display_name: string;
  handle: string;
  avatar_url: string;
}

export interface Creative {
  ad_id: string;
  item_id: string;
  item_type: string;
  caption: string;
  duration: number | null;
  images: string[] | null;
  music: string | null;
  poster_url: string;
  video_url?: string | null;
  creator: Creator;
  call_to_action: string | null;
  landing_page_url: string | null;
  label: string;
}

export interface Decision {
  decision_id: string;
  /** Signed by the server: every event about this post carries it. */
  token: string;
  ad_id: string;
  adgroup_id: string;
  item_id: string;
  sponsored: boolean;
  label: string;
  creative: Creative;
}

export interface DecisionsAnswer {
  decisions: Decision[];
  snapshot_version: number;
}

export interface QueuedEvent {
  token: string;
  type: EventType;
  /** ISO 8601 with a timezone: when it happened, not when it was sent. */
  occurred_at: string;
}

export interface EventResult {
  index: number;
  status: "accepted" | "duplicate" | "rejected";
  reason: string | null;
  billed: number;
}

export interface EventsAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: EventResult[];
}

/** What became of one tracked event. "dropped": refused by the server as a request (HTTP 4xx),
 * "unsupported": a type this server refused before, not sent. */
export type Outcome = EventResult["status"] | "dropped" | "unsupported";

export interface ApiError {
  code: string;
  message: string;
  cause?: string;
  solution?: string;
}
