// The platform's own feed script: one sponsored post from sparkads, after the second post.
// The package comes from the sparkads server through this site's /sparkads/ path (see serve.py),
// so the feed token stays on the server and the page needs no cross-origin request.
import { SparkadsFeed } from "/sparkads/static/sparkads-feed.js";

const params = new URLSearchParams(location.search);
const status = document.querySelector("[data-status]");

// Who is watching: your app knows; hash your own user id so sparkads never sees it.
async function viewerId() {
  const stored = localStorage.getItem("pocket-viewer");
  if (params.get("viewer")) return params.get("viewer");
  if (stored) return stored;
  const made = "pocket-" + crypto.randomUUID();
  localStorage.setItem("pocket-viewer", made);
  return made;
}

const feed = new SparkadsFeed({
  endpoint: "/sparkads",
  onEvent: (event, outcome) => {
    status.textContent = `${event.type}: ${outcome}`;
  },
});

try {
  const [decision] = await feed.decide({
    viewer_id: await viewerId(),
    country: params.get("country") || "FR",
    age: Number(params.get("age") || 25),
    interests: params.getAll("interest"),
  });
  if (decision) {
    const slot = document.createElement("li");
    slot.className = "sparkads-slot";
    slot.append(feed.render(decision));
    const list = document.querySelector("[data-feed]");
    list.insertBefore(slot, list.children[2] ?? null);
    status.textContent = "A sponsored post is in the feed.";
  } else {
    status.textContent = "No sponsored post for this viewer.";
  }
} catch (error) {
  // No ad is never an outage: the feed goes on without one.
  status.textContent = `No sponsored post (${error.message}).`;
}
