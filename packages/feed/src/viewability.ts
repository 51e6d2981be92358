/** When a view counts, as the industry measures it (MRC): an impression once at least 50 % of the
 * card is on screen for 1 continuous second; 2- and 6-second views once it stays so for 2 and 6
 * continuous seconds (while the page is visible); play progress from the video element. */

import type { EventType } from "./types.js";

export const VISIBLE_RATIO = 0.5;
export const VIEW_MILESTONES: readonly [EventType, number][] = [
  ["impression", 1000],
  ["view_2s", 2000],
  ["view_6s", 6000],
];
export const PLAY_MILESTONES: readonly [EventType, number][] = [
  ["play_25", 0.25],
  ["play_50", 0.5],
  ["play_75", 0.75],
  ["play_100", 1],
];

/** The in-view clock of one card: call `update` with whether it counts as in view now (≥ 50 %
 * on screen and the page visible); milestones fire once each, through `emit`. */
export class ViewClock {
  private timers: ReturnType<typeof setTimeout>[] = [];
  private readonly fired = new Set<EventType>();
  private inView = false;

  constructor(private readonly emit: (type: EventType) => void) {}

  update(inView: boolean): void {
    if (inView === this.inView) return;
    this.inView = inView;
    if (!inView) {
      this.stop();
      return;
    }
    for (const [type, ms] of VIEW_MILESTONES) {
      if (this.fired.has(type)) continue;
      this.timers.push(
        setTimeout(() => {
          this.fired.add(type);
          this.emit(type);
        }, ms),
      );
    }
  }

  get done(): boolean {
    return VIEW_MILESTONES.every(([type]) => this.fired.has(type));
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}

/** Play-progress milestones reached at `fraction` (0..1) of the video, not yet sent. */
export function playMilestones(fraction: number, sent: ReadonlySet<EventType>): EventType[] {
  if (!Number.isFinite(fraction)) return [];
  // A player's last timeupdate can stop a few hundredths short of the duration.
  const reached = fraction >= 0.99 ? 1 : fraction;
  return PLAY_MILESTONES.filter(([type, at]) => reached >= at && !sent.has(type)).map(([type]) => type);
}

/** Whether an IntersectionObserver entry counts as in view. */
export function counts(ratio: number, pageVisible: boolean): boolean {
  return pageVisible && ratio >= VISIBLE_RATIO;
}
