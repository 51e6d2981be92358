"""What a recommendation says (EN and FR) and the shape it is given in: the web app shows the
reader's language, the API returns both."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal, format_percent

from sparkads.errors import Text
from sparkads.i18n import fill, translate

MESSAGES = {
    "creative_fatigue": Text(
        "Click rate is falling: the audience has seen this post many times. Rotate in another "
        "post from the library.",
        "Le taux de clic baisse : l'audience a vu cette publication de nombreuses fois. "
        "Faites tourner une autre publication de la bibliothèque.",
    ),
    "cpa_above_target": Text(
        "Cost per result is above your target: lower the bid or narrow the audience.",
        "Le coût par résultat dépasse votre objectif : baissez l'enchère ou resserrez l'audience.",
    ),
    "budget_limited": Text(
        "Spend hit the daily budget on {days} of the last 7 days while results were on target: "
        "raise the budget by {percent}%.",
        "Les dépenses ont atteint le budget quotidien {days} jours sur les 7 derniers alors que "
        "les résultats étaient dans l'objectif : augmentez le budget de {percent} %.",
    ),
    "audience_too_narrow": Text(
        "The audience is very small: widen locations, ages or interests.",
        "L'audience est très réduite : élargissez les lieux, les âges ou les centres d'intérêt.",
    ),
    "audience_too_broad": Text(
        "The audience is very broad: add interests or behaviours that fit the product.",
        "L'audience est très large : ajoutez des centres d'intérêt ou des comportements adaptés "
        "au produit.",
    ),
    "authorization_expired": Text(
        "The creator's authorization ended on {date}: this ad no longer delivers. Ask the creator "
        "for a new code and apply it.",
        "L'autorisation du créateur a pris fin le {date_fr} : cette publicité n'est plus diffusée. "
        "Demandez au créateur un nouveau code et appliquez-le.",
    ),
    "authorization_expiring": Text(
        "The creator's authorization ends on {date}, before the ad group's schedule does. Ask the "
        "creator for a longer code ({longer} days) and apply it before then.",
        "L'autorisation du créateur prend fin le {date_fr}, avant la fin de la programmation du "
        "groupe d'annonces. Demandez au créateur un code plus long ({longer_fr} jours) et "
        "appliquez-le avant cette date.",
    ),
    "authorization_renewal": Text(
        "The creator's authorization ends on {date}, before the ad group's schedule does; 365 days "
        "is the longest a code lasts. Ask the creator for a new code shortly before then.",
        "L'autorisation du créateur prend fin le {date_fr}, avant la fin de la programmation du "
        "groupe d'annonces ; un code dure au plus 365 jours. Demandez au créateur un nouveau code "
        "peu avant cette date.",
    ),
    "better_post_available": Text(
        "A post in your library engages its audience much more than the one running.",
        "Une publication de votre bibliothèque suscite beaucoup plus d'engagement que celle "
        "en cours de diffusion.",
    ),
    "post_length": Text(
        "Your posts of {band} complete more often than this one: consider a post of that length "
        "from the library.",
        "Vos publications de {band_fr} sont plus souvent vues en entier que celle-ci : envisagez "
        "une publication de cette durée dans la bibliothèque.",
    ),
}
WARNING_KINDS = {
    "duration_outside_best_practice": "post_length",
    "music_not_cleared": "music",
}


@dataclass
class Recommendation:
    """One thing to change; `message` is English and `message_fr` French (the web app shows the
    reader's language, the API returns both)."""

    level: str  # campaign | adgroup | ad
    object_id: str
    name: str
    kind: str
    message: str
    message_fr: str
    evidence: dict[str, object] = field(default_factory=dict)
    action: dict[str, object] | None = None
    basis: str = ""  # the evidence in words, with its figures and what they were counted over
    basis_fr: str = ""
    spend_affected: float = 0.0  # the expected impact: the object's spend over the last 7 days
    dismissed: bool = False  # dismissed by the advertiser, its evidence unchanged since

    def text(self, lang: str) -> str:
        return self.message_fr if lang == "fr" else self.message

    def basis_text(self, lang: str) -> str:
        return self.basis_fr if lang == "fr" else self.basis


def said(kind: str, **params: Any) -> tuple[str, str]:
    """A recommendation's sentence in English and in French."""
    return MESSAGES[kind].render("en", params), MESSAGES[kind].render("fr", params)


def percent(value: float, lang: str) -> str:
    """A rate in a sentence of the evidence: "3.1%", "3,1 %"."""
    return format_percent(value, format="#,##0.0\u202f%" if lang == "fr" else "#,##0.0%",
                          locale=lang)  # fmt: skip


def count(value: int, lang: str) -> str:
    """A count in a sentence of the evidence: "4,210", "4 210"."""
    return format_decimal(value, format="#,##0", locale=lang)


def quoted(caption: str, lang: str) -> str:
    """A post named by its caption (its first 60 characters) in the language's quotes."""
    short = caption if len(caption) <= 60 else caption[:59].rstrip() + "…"
    return f"« {short} »" if lang == "fr" else f"“{short}”"


def in_words(lang: str, msgid: str, **params: object) -> str:
    """A sentence of the evidence from the catalogue in `lang`, its figures formatted for that
    language by the caller (`percent`, `count`)."""
    return fill(translate(lang, msgid), params)


def seconds(value: float, lang: str) -> str:
    """A length in seconds: "12", "12.5", "12,5"."""
    return format_decimal(value, format="#,##0.#", locale=lang)
