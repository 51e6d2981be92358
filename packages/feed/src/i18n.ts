/** The card's words in English and French (the same as the sparkads web app's). */

export type Lang = "en" | "fr";

const WORDS = {
  en: { sponsored: "Sponsored", like: "Like", liked: "Liked", by: "Sponsored post by @{handle}" },
  fr: { sponsored: "Sponsorisé", like: "J'aime", liked: "Aimé", by: "Post sponsorisé de @{handle}" },
} as const;

const CALLS_TO_ACTION: Record<string, [string, string]> = {
  SHOP_NOW: ["Shop now", "Acheter"],
  LEARN_MORE: ["Learn more", "En savoir plus"],
  SIGN_UP: ["Sign up", "S'inscrire"],
  ORDER_NOW: ["Order now", "Commander"],
  BOOK_NOW: ["Book now", "Réserver"],
  DOWNLOAD_NOW: ["Download now", "Télécharger"],
  INSTALL_NOW: ["Install now", "Installer"],
  CONTACT_US: ["Contact us", "Nous contacter"],
  APPLY_NOW: ["Apply now", "Postuler"],
  SUBSCRIBE: ["Subscribe", "S'abonner"],
  WATCH_NOW: ["Watch now", "Regarder"],
  VIEW_PROFILE: ["View profile", "Voir le profil"],
  GET_QUOTE: ["Get quote", "Obtenir un devis"],
  PLAY_GAME: ["Play game", "Jouer"],
  VISIT_STORE: ["Visit store", "Visiter la boutique"],
};

/** "fr" for any French locale (fr, fr-CA...), else English. */
export function pickLang(wanted: string | undefined | null): Lang {
  return (wanted ?? "").toLowerCase().startsWith("fr") ? "fr" : "en";
}

export function word(lang: Lang, name: keyof (typeof WORDS)["en"], handle = ""): string {
  return WORDS[lang][name].replace("{handle}", handle);
}

/** A call to action's label; an unknown one reads as its words ("WATCH_LIVE" → "Watch live"). */
export function callToAction(lang: Lang, code: string): string {
  const known = CALLS_TO_ACTION[code];
  if (known) return known[lang === "fr" ? 1 : 0];
  const words = code.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
