"""Creator discovery in the browser (R18, R19). Ads Manager → Creators: search opted-in creators of a
sector, ranked by engaged views per euro (micro-influencers first when they earn it), invite one to
sponsor a post or to make one for a brief, and follow the invitations. Creator Studio → Marketplace:
opt in with a sector, countries, languages and a fee; accept an invitation (which authorizes the post
for that brand and puts it in its library at once) or decline it. Same services as /api/v1."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.api.validation import parse_model
from sparkads.campaigns.catalog import catalog
from sparkads.errors import SparkadsError
from sparkads.marketplace import service
from sparkads.marketplace.models import CreatorProfile
from sparkads.marketplace.ranking import TIERS, Filters, Target
from sparkads.marketplace.schemas import CollaborationCreate, ProfileIn
from sparkads.money import from_micros
from sparkads.posts.models import Post, PostStatus
from sparkads.web.forms import FormDep, form_amount
from sparkads.web.i18n import N_
from sparkads.web.problems import explain
from sparkads.web.routing import web_router
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


def _number(raw: str, field: str) -> float | None:
    value = form_amount(raw, field)
    if value is None:
        return None
    if not 0 < value < 1_000_000_000:
        raise SparkadsError("invalid_parameter", field=field, detail=N_("a positive amount"))
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


@router.get("/ads/creators")
def search_page(
    web: WebDep,
    sector: str = "",
    country: str = "",
    tier: Annotated[list[str] | None, Query()] = None,
    max_fee: str = "",
    budget: str = "",
) -> Response:
    form = {"sector": sector, "country": country, "tier": tier or [], "max_fee": max_fee,
            "budget": budget}  # fmt: skip
    error, results = None, []
    with web.uow() as uow:
        web.advertiser(uow.session)
        try:
            filters = Filters(
                sector=sector.strip().lower() or None,
                country=country.upper() or None,
                tiers=frozenset(t for t in tier or () if t in TIER_LABELS),
                max_fee=_number(max_fee, "max_fee"),
                budget=_number(budget, "budget"),
            )
            target = Target(countries=frozenset([country.upper()]) if country else frozenset())
            ranked = service.search_creators(uow.session, filters, target)
            results = [
                {"rank": n + 1, "facts": facts, "score": score}
                for n, (facts, score) in enumerate(ranked[:RESULTS])
            ]
            total = len(ranked)
        except SparkadsError as problem:
            error, total = explain(problem, web.lang), 0
    return web.render(
        "ads/creators.html", status=400 if error else 200, section="creators", form=form,
        results=results, total=total, sectors=sectors(), sector_labels=SECTOR_LABELS,
        tier_labels=TIER_LABELS, countries=countries(web.lang),
        tiers=[(t, TIER_LABELS[t]) for t, _, _ in TIERS if t in TIER_LABELS], error=error,
    )  # fmt: skip


def _public_posts(session: Session, creator_id: str) -> list[Post]:
    return list(
        session.scalars(
            select(Post)
            .where(
                Post.creator_id == creator_id,
                Post.status == PostStatus.ACTIVE,
                Post.visibility == "PUBLIC",
                Post.ads_only.is_(False),
            )
            .order_by(Post.published_at.desc())
            .limit(30)
        )
    )


def invite_page(web: Web, creator_id: str, status: int = 200, **extra: Any) -> Response:
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        profile = service.get_profile(uow.session, creator_id)
        facts = service.profile_facts(uow.session, profile)
        posts = _public_posts(uow.session, creator_id)
    form = extra.pop("form", None) or {"fee": f"{facts.fee_eur:.2f}", "duration_days": "30"}
    return web.render(
        "ads/creator_invite.html", status=status, section="creators", facts=facts, posts=posts,
        advertiser=advertiser, durations=DURATIONS, form=form, error=extra.pop("error", None),
    )  # fmt: skip


@router.get("/ads/creators/{creator_id}")
def show_creator(creator_id: str, web: WebDep) -> Response:
    return invite_page(web, creator_id)


@router.post("/ads/creators/{creator_id}/invite")
def invite(creator_id: str, web: WebDep, form: FormDep) -> Response:
    values = form.values()
    try:
        with web.uow() as uow:
            advertiser = web.advertiser(uow.session)
            item_id = form.get("item_id")
            data = parse_model(
                CollaborationCreate,
                {
                    "advertiser_id": advertiser.advertiser_id,
                    "creator_id": creator_id,
                    "item_id": item_id if item_id and item_id != "brief" else None,
                    "brief": (form.get("brief") or None) if item_id == "brief" else None,
                    "fee": _number(form.get("fee"), "fee"),
                    "duration_days": int(form.get("duration_days", "30") or 30),
                    "message": form.get("message"),
                },
            )
            service.invite_creator(uow.session, web.context.clock, advertiser, data)
            uow.commit()
    except (SparkadsError, ValueError, ValidationError) as problem:
        error = problem if isinstance(problem, SparkadsError) else SparkadsError(
            "invalid_parameter", field="duration_days", detail=N_("7, 30, 60 or 365")
        )  # fmt: skip
        return invite_page(
            web, creator_id, status=error.spec.http_status, form=values,
            error=explain(error, web.lang),
        )  # fmt: skip
    web.flash(N_("Invitation sent: the creator answers in Creator Studio → Marketplace."))
    return web.redirect("/ads/collaborations")


def _rows(session: Session, rows: Any, lang: str, *, who: str) -> list[dict[str, Any]]:
    found = []
    for row in rows:
        other = (
            session.get_one(Creator, row.creator_id).handle
            if who == "creator"
            else session.get_one(Advertiser, row.advertiser_id).name
        )
        label, tone = STATUSES.get(row.status, (row.status, "off"))
        post = session.get(Post, row.item_id) if row.item_id else None
        found.append({"row": row, "other": other, "status": label, "tone": tone, "post": post,
                      "fee": float(from_micros(row.fee))})  # fmt: skip
    return found


@router.get("/ads/collaborations")
def collaborations_page(web: WebDep) -> Response:
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        rows = service.list_collaborations(uow.session, advertiser_ids=[advertiser.advertiser_id])
        items = _rows(uow.session, rows, web.lang, who="creator")
    return web.render("ads/collaborations.html", section="creators", items=items)


@router.post("/ads/collaborations/{collaboration_id}/cancel")
def cancel(collaboration_id: str, web: WebDep, form: FormDep) -> Response:
    with web.uow() as uow:
        advertiser = web.advertiser(uow.session)
        service.cancel_collaboration(
            uow.session, web.context.clock, advertiser_ids=[advertiser.advertiser_id],
            collaboration_id=collaboration_id,
        )  # fmt: skip
        uow.commit()
    web.flash(N_("Invitation cancelled."))
    return web.redirect("/ads/collaborations")


# Creator Studio → Marketplace ------------------------------------------------------------------


def studio_page(web: Web, status: int = 200, **extra: Any) -> Response:
    user = web.require_creator()
    creator_id = user.principal.subject_id
    with web.uow() as uow:
        profile = uow.session.get(CreatorProfile, creator_id)
        facts = (
            service.profile_facts(uow.session, profile) if profile and profile.opted_in else None
        )
        rows = service.list_collaborations(uow.session, creator_id=creator_id)
        items = _rows(uow.session, rows, web.lang, who="brand")
        posts = _public_posts(uow.session, creator_id)
        creator = uow.session.get_one(Creator, creator_id)
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


@router.get("/studio/marketplace")
def show_studio(web: WebDep) -> Response:
    return studio_page(web)


@router.post("/studio/marketplace/profile")
def save_profile(web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    languages = [part.strip().lower() for part in form.get("languages").split(",") if part.strip()]
    try:
        data = parse_model(
            ProfileIn,
            {
                "sector": form.get("sector"),
                "countries": form.getlist("countries"),
                "languages": languages,
                "asking_fee": _number(form.get("asking_fee"), "asking_fee"),
            },
        )
        with web.uow() as uow:
            service.save_profile(
                uow.session, web.context.clock, creator_id=user.principal.subject_id, data=data
            )
            uow.commit()
    except SparkadsError as problem:
        values = {**form.values(), "countries": form.getlist("countries")}
        return studio_page(
            web, status=problem.spec.http_status, form=values, error=explain(problem, web.lang)
        )
    web.flash(N_("Your marketplace profile is saved: brands can find you."))
    return web.redirect("/studio/marketplace")


@router.post("/studio/marketplace/leave")
def leave(web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    with web.uow() as uow:
        service.opt_out(uow.session, web.context.clock, creator_id=user.principal.subject_id)
        uow.commit()
    web.flash(N_("You left the marketplace: brands no longer find you in searches."))
    return web.redirect("/studio/marketplace")


@router.post("/studio/marketplace/invitations/{collaboration_id}/accept")
def accept(collaboration_id: str, web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    try:
        with web.uow() as uow:
            row, _code = service.accept_collaboration(
                uow.session, web.context.clock, web.context.code_throttle,
                creator_id=user.principal.subject_id, collaboration_id=collaboration_id,
                item_id=form.get("item_id") or None, sealing_keys=web.context.keyring.sealing,
            )  # fmt: skip
            uow.commit()
            brand = uow.session.get_one(Advertiser, row.advertiser_id).name
    except SparkadsError as problem:
        return studio_page(web, status=problem.spec.http_status, error=explain(problem, web.lang))
    web.flash(N_("Accepted: the post is authorized for %(brand)s and already in its library."),
              brand=brand)  # fmt: skip
    return web.redirect("/studio/marketplace")


@router.post("/studio/marketplace/invitations/{collaboration_id}/decline")
def decline(collaboration_id: str, web: WebDep, form: FormDep) -> Response:
    user = web.require_creator()
    with web.uow() as uow:
        service.decline_collaboration(
            uow.session, web.context.clock, creator_id=user.principal.subject_id,
            collaboration_id=collaboration_id,
        )  # fmt: skip
        uow.commit()
    web.flash(N_("Invitation declined."))
    return web.redirect("/studio/marketplace")
