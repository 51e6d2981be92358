// Feed preview: sponsored posts are measured and their events sent by @sparkads/feed
// (packages/feed, built to sparkads-feed.js), the same code a platform puts in its feed: an
// impression at >= 50 % on screen for 1 s, 2- and 6-second views, likes, shares, follows and
// clicks, batched, retried, kept while offline. The page is signed in, so events go to
// /feed/batch with the page's CSRF token instead of a feed token. Without JavaScript, the
// buttons' forms post to /feed/events instead.
import { SparkadsFeed } from "./sparkads-feed.js";

const phone = document.querySelector("[data-sparkads-csrf]");
if (phone) {
  const messages = JSON.parse(phone.dataset.messages || "{}");
  const reasons = new Map();
  const feed = new SparkadsFeed({
    endpoint: "",
    eventsPath: "/feed/batch",
    headers: { "X-CSRF-Token": phone.dataset.sparkadsCsrf },
    storageKey: "sparkads-preview-queue",
    // The preview may run on the sandbox clock: the server's time of receipt is the time.
    timestamps: "never",
    onEvent: (event, outcome, reason) => reasons.set(`${event.type} ${event.token}`, reason),
  });
  for (const card of phone.querySelectorAll("[data-sparkads-token]")) {
    feed.observe(card, card.dataset.sparkadsToken);
  }

  // The like, share, follow and call-to-action buttons: tracked by the package, sent at once.
  phone.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-feed-event]");
    const card = form && form.closest("[data-sparkads-token]");
    if (!card) return;
    event.preventDefault();
    event.stopPropagation(); // app.js's document-wide handler must not send it a second time
    const button = event.submitter || form.querySelector("button");
    const type = button.value;
    const token = card.dataset.sparkadsToken;
    const sent = feed.track(token, type);
    void feed.flush();
    const outcome = await sent;
    const feedback = card.querySelector(".feedback");
    if (outcome === "accepted") {
      button.setAttribute("aria-pressed", "true");
      feedback.textContent = messages[type] || "";
    } else if (outcome === "duplicate") {
      button.setAttribute("aria-pressed", "true");
      feedback.textContent = messages.duplicate || "";
    } else {
      const code = reasons.get(`${type} ${token}`) || outcome;
      const reason = messages[`reason:${code}`] || code; // in the page's language when known
      feedback.textContent = (messages.refused || "{reason}").replace("{reason}", reason);
      return;
    }
    const answer = await fetch(`/feed/counters/${encodeURIComponent(card.dataset.post)}`, {
      headers: { Accept: "application/json" }, credentials: "same-origin",
    });
    if (!answer.ok) return;
    for (const [name, value] of Object.entries(await answer.json())) {
      for (const element of card.querySelectorAll(`[data-counter="${name}"]`)) element.textContent = value;
    }
  });
}
