// Feed preview: sponsored posts are measured by @sparkads/feed (packages/feed, built to
// sparkads-feed.js), the same code a platform puts in its feed: an impression at >= 50 % on screen
// for 1 s, 2- and 6-second views, batched, retried, kept while offline. The page is signed in, so
// events go to /feed/batch with the page's CSRF token instead of a feed token.
import { SparkadsFeed } from "./sparkads-feed.js";

const phone = document.querySelector("[data-sparkads-csrf]");
if (phone) {
  const feed = new SparkadsFeed({
    endpoint: "",
    eventsPath: "/feed/batch",
    headers: { "X-CSRF-Token": phone.dataset.sparkadsCsrf },
    storageKey: "sparkads-preview-queue",
    // The preview may run on the sandbox clock: the server's time of receipt is the time.
    timestamps: "never",
  });
  for (const card of phone.querySelectorAll("[data-sparkads-token]")) {
    feed.observe(card, card.dataset.sparkadsToken);
  }
}
