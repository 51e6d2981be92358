"""Creator discovery in the browser (R18, R19). Ads Manager → Creators: search opted-in creators of a
sector, ranked by engaged views per euro (micro-influencers first when they earn it), invite one to
sponsor a post or to make one for a brief, and follow the invitations. Creator Studio → Marketplace:
opt in with a sector, countries, languages and a fee; accept an invitation (which authorizes the post
for that brand and puts it in its library at once) or decline it. Same services as /api/v1."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from sparkads.api.validation import parse_model
from sparkads.campaigns.catalog import catalog
from sparkads.errors import SparkadsError
from sparkads.i18n import LocalText
from sparkads.marketplace.ranking import TIERS, Filters, Target
from sparkads.marketplace.schemas import CollaborationCreate, ProfileIn
from sparkads.money import from_micros
from sparkads.services import marketplace
from sparkads.services.marketplace import CollaborationView
from sparkads.web.forms import Form, FormDep, form_amount
from sparkads.web.i18n import N_
from sparkads.web.problems import explain, invalid_field
from sparkads.web.routing import shows_errors_on, shows_page, web_router
from sparkads.web.session import Web, WebDep
from sparkads.web.templating import country_name

router = web_router()
RESULTS = 25
DURATIONS = (7, 30, 60, 365)
STATUSES = {
    "INVITED": (N_("Invited"), "warn"),
    "ACCEPTED": (N_("Accepted"), "ok"),
    "DECLINED": (N_("Declined"), "bad"),
    "CANCELLED": (N_("Cancelled"), "off"),
}
TIER_LABELS = {
    "nano": N_("Nano (under 10k)"),
    "micro": N_("Micro (10k–100k)"),
    "mid": N_("Mid (100k–500k)"),
    "macro": N_("Macro (500k–1M)"),
    "mega": N_("Mega (1M+)"),
}


AMOUNT_LABELS = {
    "max_fee": N_("Maximum fee (EUR)"), "budget": N_("Budget (EUR)"),
    "fee": N_("Agreed fee (EUR)"), "asking_fee": N_("Your fee per sponsored post (EUR)"),
}  # fmt: skip


def _number(raw: str, name: str) -> float | None:
    """An amount in euros, None when left empty; a refusal names the field (to mark it)."""
    field = LocalText(AMOUNT_LABELS[name])
    try:
        value = form_amount(raw, field)
    except SparkadsError as error:
        raise SparkadsError(error.code, **error.params, form_field=name) from None
    if value is None:
        return None
    if not 0 < value < 1_000_000_000:
        raise SparkadsError(
            "invalid_parameter", field=field, detail=N_("a positive amount"), form_field=name
        )
    return float(value)


SECTOR_LABELS = {
    "auto": N_("Automotive"), "beauty": N_("Beauty"), "education": N_("Education"),
    "entertainment": N_("Entertainment"), "family": N_("Family & parenting"),
    "fashion": N_("Fashion"), "finance": N_("Finance"), "fitness": N_("Fitness & sport"),
    "food": N_("Food & drink"), "gaming": N_("Gaming"), "health": N_("Health"),
    "home": N_("Home & garden"), "household": N_("Household"), "pets": N_("Pets"),
    "tech": N_("Tech"), "travel": N_("Travel"),
}  # fmt: skip


def sectors() -> list[str]:
    return sorted({i.sector for i in catalog().interests() if i.sector})


def countries(lang: str) -> list[tuple[str, str]]:
    codes = {loc.country_code for loc in catalog().locations(level="COUNTRY")}
    return sorted(((c, country_name(lang, c)) for c in codes), key=lambda pair: pair[1])


# Ads Manager → Creators ------------------------------------------------------------------------


def creators_page(
    web: Web, results: list[dict[str, object]], total: int, error: SparkadsError | None = None
) -> Response:
    """The search form (filled in as the query sent it), its results or its problem."""
    query = web.request.query_params
    form = {"sector": query.get("sector", ""), "country": query.get("country", ""),
            "tier": query.getlist("tier"), "max_fee": query.get("max_fee", ""),
            "budget": query.get("budget", "")}  # fmt: skip
    return web.render(
        "ads/creators.html", status=400 if error else 200, section="creators", form=form,
        results=results, total=total, sectors=sectors(), sector_labels=SECTOR_LABELS,
        tier_labels=TIER_LABELS, countries=countries(web.lang),
        tiers=[(t, TIER_LABELS[t]) for t, _, _ in TIERS if t in TIER_LABELS],
        error=explain(error, web.lang) if error else None, invalid=invalid_field(error),
    )  # fmt: skip


def _require_brand(web: Web) -> None:
    with web.uow() as uow:
        web.advertiser(uow.session)


def search_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    _require_brand(web)
    return creators_page(web, [], 0, error)


@router.get("/ads/creators")
@shows_errors_on(search_with_error)
def search_page(
    web: WebDep,
    sector: str = "",
    country: str = "",
    tier: Annotated[list[str] | None, Query()] = None,
    max_fee: str = "",
    budget: str = "",
) -> Response:
    _require_brand(web)
    filters = Filters(
        sector=sector.strip().lower() or None,
        country=country.upper() or None,
        tiers=frozenset(t for t in tier or () if t in TIER_LABELS),
        max_fee=_number(max_fee, "max_fee"),
        budget=_number(budget, "budget"),
    )
    target = Target(countries=frozenset([country.upper()]) if country else frozenset())
    ranked = marketplace.search(web.uow, filters, target)
    results = [
        {"rank": n + 1, "facts": facts, "score": score}
        for n, (facts, score) in enumerate(ranked[:RESULTS])
    ]
    return creators_page(web, results, len(ranked))


def invite_page(web: Web, creator_id: str, status: int = 200, **extra: object) -> Response:
    account = web.require_ad_account()
    assert web.user is not None
    page = marketplace.creator_page(
        web.uow, web.user.principal, advertiser_id=account.advertiser_id, creator_id=creator_id
    )
    advertiser, facts, posts = page.advertiser, page.facts, page.posts
    form = extra.pop("form", None) or {"fee": f"{facts.fee_eur:.2f}", "duration_days": "30"}
    return web.render(
        "ads/creator_invite.html", status=status, section="creators", facts=facts, posts=posts,
        advertiser=advertiser, durations=DURATIONS, form=form, error=extra.pop("error", None),
    )  # fmt: skip


@router.get("/ads/creators/{creator_id}")
def show_creator(creator_id: str, web: WebDep) -> Response:
    return invite_page(web, creator_id)


def _days(raw: str) -> int:
    try:
        return int(raw or 30)
    except ValueError:
        raise SparkadsError(
            "invalid_parameter", field="duration_days", detail=N_("7, 30, 60 or 365")
        ) from None


def invite_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    return invite_page(
        web, web.request.path_params["creator_id"], status=error.spec.http_status,
        form=form.values(), error=explain(error, web.lang),
    )  # fmt: skip


@router.post("/ads/creators/{creator_id}/invite")
@shows_errors_on(invite_with_error)
def invite(creator_id: str, web: WebDep, form: FormDep) -> Response:
    account = web.require_ad_account()
    assert web.user is not None
    item_id = form.get("item_id")
    data = parse_model(
        CollaborationCreate,
        {
            "advertiser_id": account.advertiser_id,
            "creator_id": creator_id,
            "item_id": item_id if item_id and item_id != "brief" else None,
            "brief": (form.get("brief") or None) if item_id == "brief" else None,
            "fee": _number(form.get("fee"), "fee"),
            "duration_days": _days(form.get("duration_days", "30")),
            "message": form.get("message"),
        },
    ).command()
    marketplace.invite(web.uow, web.context.clock, web.user.principal, data)
    web.flash(N_("Invitation sent: the creator answers in Creator Studio → Marketplace."))
    return web.redirect("/ads/collaborations")


def _rows(views: Iterable[CollaborationView], *, who: str) -> list[dict[str, object]]:
    found = []
    for view in views:
        row = view.row
        other = view.creator.handle if who == "creator" else view.advertiser.name
        label, tone = STATUSES.get(row.status, (row.status, "off"))
        found.append({"row": row, "other": other, "status": label, "tone": tone, "post": view.post,
                      "fee": float(from_micros(row.fee))})  # fmt: skip
    return found


@router.get("/ads/collaborations")
def collaborations_page(web: WebDep) -> Response:
    account = web.require_ad_account()
    assert web.user is not None
    rows = marketplace.brand_collaborations(
        web.uow, web.user.principal, advertiser_id=account.advertiser_id
    )
    items = _rows(rows, who="creator")
    return web.render("ads/collaborations.html", section="creators", items=items)


@router.post("/ads/collaborations/{collaboration_id}/cancel")
def cancel(collaboration_id: str, web: WebDep, form: FormDep) -> Response:
    account = web.require_ad_account()
    assert web.user is not None
    marketplace.cancel(
        web.uow, web.context.clock, web.user.principal, collaboration_id,
        advertiser_id=account.advertiser_id,
    )  # fmt: skip
    web.flash(N_("Invitation cancelled."))
    return web.redirect("/ads/collaborations")


# Creator Studio → Marketplace ------------------------------------------------------------------


def studio_page(web: Web, status: int = 200, **extra: object) -> Response:
    user = web.require_creator()
    creator_id = user.principal.subject_id
    page = marketplace.studio_page(web.uow, creator_id=creator_id)
    profile, facts, posts, creator = page.profile, page.facts, page.posts, page.creator
    items = _rows(page.collaborations, who="brand")
    form = extra.pop("form", None) or {
        "sector": profile.sector if profile else creator.sector,
        "countries": (profile.countries if profile else [creator.country or "FR"]),
        "languages": ", ".join(profile.languages) if profile else "",
        "asking_fee": f"{from_micros(profile.asking_fee):.2f}" if profile else "",
    }
    return web.render(
        "studio/marketplace.html", status=status, section="marketplace", profile=profile,
        facts=facts, items=items, posts=posts, form=form, sectors=sectors(),
        sector_labels=SECTOR_LABELS,
        countries=countries(web.lang), error=extra.pop("error", None),
    )  # fmt: skip


shows_page(router, "/studio/marketplace", studio_page)


def profile_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    values = {**form.values(), "countries": form.getlist("countries")}
    return studio_page(
        web, status=error.spec.http_status, form=values, error=explain(error, web.lang)
    )


MAX_LANGUAGES, LANGUAGE_LENGTH = 10, 8  # as ProfileIn takes them


def _languages(typed: str) -> list[str]:
    """The languages typed (comma-separated codes), refused here in the page's words rather than
    by the API model's English."""
    languages = [part.strip().lower() for part in typed.split(",") if part.strip()]
    field = LocalText(N_("Languages"))
    if len(languages) > MAX_LANGUAGES:
        detail = LocalText(
            N_("{count} languages, {most} at most"),
            {"count": len(languages), "most": MAX_LANGUAGES},
        )
        raise SparkadsError("invalid_parameter", field=field, detail=detail)
    for language in languages:
        if len(language) > LANGUAGE_LENGTH:
            detail = LocalText(
                N_(
                    "“{value}” is not a language code such as fr or en-GB ({most} characters at most)"
                ),
                {"value": language, "most": LANGUAGE_LENGTH},
            )
            raise SparkadsError("invalid_parameter", field=field, detail=detail)
    return languages


@router.post("/studio/marketplace/profile")
@shows_errors_on(profile_with_error)
def save_profile(web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    languages = _languages(form.get("languages"))
    data = parse_model(
        ProfileIn,
        {
            "sector": form.get("sector"),
            "countries": form.getlist("countries"),
            "languages": languages,
            "asking_fee": _number(form.get("asking_fee"), "asking_fee"),
        },
    ).command()
    marketplace.save_profile(
        web.uow, web.context.clock, creator_id=user.principal.subject_id, data=data
    )
    web.flash(N_("Your marketplace profile is saved: brands can find you."))
    return web.redirect("/studio/marketplace")


@router.post("/studio/marketplace/leave")
def leave(web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    marketplace.opt_out(web.uow, web.context.clock, creator_id=user.principal.subject_id)
    web.flash(N_("You left the marketplace: brands no longer find you in searches."))
    return web.redirect("/studio/marketplace")


def studio_with_error(web: Web, error: SparkadsError, form: Form) -> Response:
    return studio_page(web, status=error.spec.http_status, error=explain(error, web.lang))


@router.post("/studio/marketplace/invitations/{collaboration_id}/accept")
@shows_errors_on(studio_with_error)
def accept(collaboration_id: str, web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    accepted = marketplace.accept(
        web.uow, web.context.clock, web.context.code_throttle,
        creator_id=user.principal.subject_id, collaboration_id=collaboration_id,
        item_id=form.get("item_id") or None, sealing_keys=web.context.keyring.sealing,
    )  # fmt: skip
    brand = accepted.collaboration.advertiser.name
    web.flash(N_("Accepted: the post is authorized for %(brand)s and already in its library."),
              brand=brand)  # fmt: skip
    return web.redirect("/studio/marketplace")


@router.post("/studio/marketplace/invitations/{collaboration_id}/decline")
def decline(collaboration_id: str, web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    marketplace.decline(
        web.uow, web.context.clock, creator_id=user.principal.subject_id,
        collaboration_id=collaboration_id,
    )  # fmt: skip
    web.flash(N_("Invitation declined."))
    return web.redirect("/studio/marketplace")
