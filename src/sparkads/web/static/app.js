// sparkads web app: small progressive enhancements; every page works without them.
"use strict";

// The header's menu folds behind a button on phones (CSS shows the button below 52rem).
document.documentElement.classList.add("js");
for (const toggle of document.querySelectorAll(".menu-toggle")) {
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
}

// Copy buttons: <button data-copy="element-id">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  const text = (source.value || source.textContent).trim();
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch (error) {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    copied = document.execCommand && document.execCommand("copy");
  }
  const status = document.getElementById(button.dataset.copy + "-status");
  if (status) status.textContent = copied ? button.dataset.copied : button.dataset.failed;
});

// Forms that ask before doing something that cannot be undone: <form data-confirm="...">.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Feed preview: likes, follows, shares and clicks are sent without leaving the feed.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("form[data-feed-event]")) return;
  event.preventDefault();
  const button = event.submitter || form.querySelector("button");
  const data = new FormData(form);
  if (button && button.name) data.set(button.name, button.value);
  const response = await fetch(form.action, {
    method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin",
  });
  const card = form.closest("[data-post]");
  const feedback = card && card.querySelector(".feedback");
  if (!response.ok) {
    if (feedback) feedback.textContent = response.statusText;
    return;
  }
  const answer = await response.json();
  if (button) button.setAttribute("aria-pressed", "true");
  if (feedback) feedback.textContent = answer.message;
  for (const [name, value] of Object.entries(answer.counters || {})) {
    for (const element of card.querySelectorAll(`[data-counter="${name}"]`)) element.textContent = value;
  }
});
