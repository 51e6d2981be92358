/** The default sponsored post card: media, "Sponsored" label, creator, caption, call to action and
 * a like button. Built with DOM calls only (no innerHTML, no inline style or script), so it works
 * under a strict Content-Security-Policy; style it with the sparkads-* classes. */

import { callToAction, type Lang, word } from "./i18n.js";
import type { Decision } from "./types.js";

export interface CardActions {
  click(): void;
  like(): Promise<boolean>;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Only http(s) links are followed (a creative can never inject `javascript:`). */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, document.baseURI);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

export function renderCard(decision: Decision, lang: Lang, actions: CardActions): HTMLElement {
  const creative = decision.creative;
  const handle = creative.creator.handle;
  const card = el("article", "sparkads-card");
  card.lang = lang;
  card.dataset.sparkadsDecision = decision.decision_id;
  card.dataset.sparkadsItem = decision.item_id;
  card.setAttribute("aria-label", word(lang, "by", handle));

  const media = el("div", "sparkads-media");
  const video = safeUrl(creative.video_url);
  if (video) {
    const player = el("video", "sparkads-video");
    player.src = video;
    player.muted = true;
    player.playsInline = true;
    player.controls = true;
    player.preload = "metadata";
    const poster = safeUrl(creative.poster_url);
    if (poster) player.poster = poster;
    media.append(player);
  } else {
    const image = el("img", "sparkads-poster");
    image.src = safeUrl(creative.poster_url) ?? "";
    image.alt = "";
    image.decoding = "async";
    image.loading = "lazy";
    media.append(image);
  }

  const body = el("div", "sparkads-body");
  body.append(el("span", "sparkads-label", word(lang, "sponsored")));
  body.append(el("span", "sparkads-creator", `@${handle}`));
  body.append(el("p", "sparkads-caption", creative.caption));
  const landing = safeUrl(creative.landing_page_url);
  if (creative.call_to_action && landing) {
    const cta = el("a", "sparkads-cta", callToAction(lang, creative.call_to_action));
    cta.href = landing;
    cta.target = "_blank";
    cta.rel = "noopener sponsored";
    cta.addEventListener("click", () => actions.click());
    body.append(cta);
  }
  const like = el("button", "sparkads-like", word(lang, "like"));
  like.type = "button";
  like.setAttribute("aria-pressed", "false");
  like.addEventListener("click", () => {
    if (like.getAttribute("aria-pressed") === "true") return;
    like.setAttribute("aria-pressed", "true");
    like.textContent = word(lang, "liked");
    void actions.like();
  });
  body.append(like);
  card.append(media, body);
  return card;
}
