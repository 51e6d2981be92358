import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { callToAction, pickLang } from "../src/i18n.js";
import type { EventType } from "../src/types.js";
import { counts, playMilestones, ViewClock } from "../src/viewability.js";

describe("ViewClock", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("fires impression at 1 s, view_2s at 2 s and view_6s at 6 s of continuous view", () => {
    const fired: EventType[] = [];
    const clock = new ViewClock((type) => fired.push(type));
    clock.update(true);
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(["impression"]);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(["impression", "view_2s"]);
    vi.advanceTimersByTime(4000);
    expect(fired).toEqual(["impression", "view_2s", "view_6s"]);
    expect(clock.done).toBe(true);
  });

  it("needs a continuous stretch: scrolling out restarts the count, fired ones stay fired", () => {
    const fired: EventType[] = [];
    const clock = new ViewClock((type) => fired.push(type));
    clock.update(true);
    vi.advanceTimersByTime(900);
    clock.update(false);
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual([]);
    clock.update(true);
    vi.advanceTimersByTime(1500);
    clock.update(false);
    expect(fired).toEqual(["impression"]);
    clock.update(true);
    vi.advanceTimersByTime(6000);
    expect(fired).toEqual(["impression", "view_2s", "view_6s"]);
    clock.update(false);
    clock.update(true);
    vi.advanceTimersByTime(10_000);
    expect(fired).toHaveLength(3);
  });

  it("repeated updates with the same state do not restart the clock", () => {
    const fired: EventType[] = [];
    const clock = new ViewClock((type) => fired.push(type));
    clock.update(true);
    vi.advanceTimersByTime(600);
    clock.update(true);
    vi.advanceTimersByTime(400);
    expect(fired).toEqual(["impression"]);
  });
});

describe("counts", () => {
  it("is in view at half on screen on a visible page", () => {
    expect(counts(0.5, true)).toBe(true);
    expect(counts(0.49, true)).toBe(false);
    expect(counts(1, false)).toBe(false);
  });
});

describe("playMilestones", () => {
  it("reports each quarter once, the end at 99 %", () => {
    const sent = new Set<EventType>();
    expect(playMilestones(0.1, sent)).toEqual([]);
    expect(playMilestones(0.55, sent)).toEqual(["play_25", "play_50"]);
    sent.add("play_25").add("play_50");
    expect(playMilestones(0.6, sent)).toEqual([]);
    expect(playMilestones(0.995, sent)).toEqual(["play_75", "play_100"]);
    expect(playMilestones(Number.NaN, new Set())).toEqual([]);
  });
});

describe("words", () => {
  it("speaks French to any French locale, English otherwise", () => {
    expect(pickLang("fr-CA")).toBe("fr");
    expect(pickLang("FR")).toBe("fr");
    expect(pickLang("de")).toBe("en");
    expect(pickLang(undefined)).toBe("en");
  });

  it("labels calls to action, known or not", () => {
    expect(callToAction("en", "SHOP_NOW")).toBe("Shop now");
    expect(callToAction("fr", "SHOP_NOW")).toBe("Acheter");
    expect(callToAction("en", "WATCH_LIVE")).toBe("Watch live");
  });
});
