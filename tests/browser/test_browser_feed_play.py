"""@sparkads/feed's play progress from a real <video> element in Chromium, sent to a real server:
a 2-second clip played to the end reports play_25, play_50, play_75 and play_100 once each (and
the card speaks French to a French locale). The
play types are new: a server that already knows them accepts them; one that does not yet refuses
them, and the package then drops them (never retried) while the like in the same batch counts.
The page is the package loaded from the server's /static/, with the feed token in a header."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

import httpx

from factories.live_ad import launch_spark_ad

BELGIUM = "2802361"  # no other browser test targets it
PLAYS = ["play_25", "play_50", "play_75", "play_100"]

# A 2-second silent WAV built in the page, played by a <video> inside the observed element.
PLAY = """async ({ token, decisionViewer }) => {
  const { SparkadsFeed } = await import("/static/sparkads-feed.js");
  const outcomes = [];
  const feed = new SparkadsFeed({
    endpoint: "", headers: { Authorization: "Bearer " + token }, storage: null, flushDelayMs: 200,
    onEvent: (event, outcome) => outcomes.push([event.type, outcome]),
  });
  let [decision] = await feed.decide(decisionViewer);
  for (let tries = 0; !decision && tries < 30; tries++) {  // the snapshot catches up with the launch
    await new Promise((resolve) => setTimeout(resolve, 300));
    [decision] = await feed.decide(decisionViewer);
  }
  const rate = 8000, seconds = 2, data = rate * seconds;
  const wav = new DataView(new ArrayBuffer(44 + data));
  const text = (at, s) => [...s].forEach((c, i) => wav.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF"); wav.setUint32(4, 36 + data, true); text(8, "WAVEfmt ");
  wav.setUint32(16, 16, true); wav.setUint16(20, 1, true); wav.setUint16(22, 1, true);
  wav.setUint32(24, rate, true); wav.setUint32(28, rate, true); wav.setUint16(32, 1, true);
  wav.setUint16(34, 8, true); text(36, "data"); wav.setUint32(40, data, true);
  for (let i = 0; i < data; i++) wav.setUint8(44 + i, 128);
  const card = document.createElement("div");
  const video = document.createElement("video");
  video.muted = true;
  video.src = URL.createObjectURL(new Blob([wav.buffer], { type: "audio/wav" }));
  card.append(video);
  document.body.append(card);
  feed.observe(card, decision);
  const liked = feed.track(decision, "like");
  await video.play();
  await new Promise((resolve) => video.addEventListener("ended", resolve, { once: true }));
  const like = await liked;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await feed.flush();
  const again = await feed.track(decision, "play_25");
  const french = new SparkadsFeed({ endpoint: "", lang: "fr-BE", storage: null }).render(decision);
  return { item: decision.item_id, like, again, outcomes, french: french.innerText || french.textContent };
}"""


def test_video_play_progress_is_sent_once_or_dropped_never_retried(
    browser: Any, server: Any, http: httpx.Client, cli: Any
) -> None:
    ad = launch_spark_ad(http, cli, BELGIUM, caption="Waffles, played to the end")
    context = browser.new_context(base_url=server.base_url)
    try:
        page = context.new_page()
        page.goto("/signin")
        viewer = {"viewer_id": "play-viewer", "country": "BE", "age": 30}
        result = page.evaluate(PLAY, {"token": ad.feed_token, "decisionViewer": viewer})
    finally:
        context.close()

    with sqlite3.connect(server.database_url.removeprefix("sqlite:///")) as connection:
        recorded = Counter(
            row[0]
            for row in connection.execute(
                "SELECT event_type FROM events WHERE item_id = ?", (ad.item_id,)
            )
        )
    outcomes: dict[str, str] = {}
    for kind, outcome in result["outcomes"]:  # each type's first outcome (`again` comes last)
        outcomes.setdefault(kind, outcome)
    assert result["item"] == ad.item_id
    assert "Sponsorisé" in result["french"]
    assert "Acheter" in result["french"]
    assert "J'aime" in result["french"]
    assert result["like"] == "accepted"
    assert recorded["like"] == 1
    if recorded["play_25"]:  # the server knows the play types
        assert all(outcomes[kind] == "accepted" for kind in PLAYS), outcomes
        # play_100 is stored as complete_view (a play that sends both counts once)
        stored = ["play_25", "play_50", "play_75", "complete_view"]
        assert all(recorded[kind] == 1 for kind in stored), recorded
        assert result["again"] == "duplicate"
    else:  # refused: dropped once, then not even sent
        assert [kind for kind, outcome in result["outcomes"] if outcome == "dropped"] != []
        assert all(outcomes[kind] in ("dropped", "unsupported") for kind in PLAYS), outcomes
        assert result["again"] == "unsupported"
        assert not any(recorded[kind] for kind in PLAYS)
