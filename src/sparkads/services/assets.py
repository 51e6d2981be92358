"""An ad account's creative assets and pixels, for the open API (file/image/ad/search,
file/music/get, file/video/ad/*, creative/portfolio/*, pixel/*), the campaign wizard's video
upload and the advertiser's conversion calls: each use case opens its unit of work, checks the
ad account, calls the domain and commits writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sparkads.accounts.service import Principal, authorize_advertiser
from sparkads.assets import library_media, pixels, portfolios
from sparkads.assets.library_media import LibraryImage, LibrarySound
from sparkads.assets.models import CreativePortfolio, Pixel, PixelEvent
from sparkads.assets.pixels import EventCount, EventSpec
from sparkads.assets.portfolios import CtaContent
from sparkads.campaigns import videos
from sparkads.campaigns.enums import OptimizationGoal
from sparkads.campaigns.models import AdVideo
from sparkads.campaigns.rules import OBJECTIVE_GOALS
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.reporting.report import RESULT_EVENT
from sparkads.services.units import Units, for_advertiser

MAX_VIDEO_BYTES = videos.MAX_VIDEO_BYTES  # what an upload may weigh (the studio checks it too)


@dataclass(frozen=True)
class PixelView:
    pixel: Pixel
    events: list[PixelEvent]


@dataclass(frozen=True)
class GoalEvents:
    """What an (objective, goal) optimizes on in sparkads: the feed event its results count, or
    for CONVERT the pixel events the ad account tracks."""

    objective_type: str
    optimization_goal: str
    events: list[str]


def images(uow: UnitOfWorkFactory, principal: Principal, advertiser_id: str) -> list[LibraryImage]:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        return library_media.library_images(unit.session, advertiser)


def sounds(
    uow: UnitOfWorkFactory, principal: Principal, advertiser_id: str, *, carousel_only: bool
) -> list[LibrarySound]:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        return library_media.library_sounds(unit.session, advertiser, carousel_only=carousel_only)


def create_portfolio(
    uow: UnitOfWorkFactory,
    clock: Clock,
    principal: Principal,
    advertiser_id: str,
    *,
    portfolio_type: str,
    content: Sequence[CtaContent],
) -> str:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        portfolio = portfolios.create_portfolio(
            unit.session, clock, advertiser, portfolio_type=portfolio_type, content=content
        )
        unit.commit()
        return portfolio.portfolio_id


def list_portfolios(
    uow: UnitOfWorkFactory,
    principal: Principal,
    advertiser_id: str,
    *,
    portfolio_ids: Sequence[str] | None,
    portfolio_types: Sequence[str] | None,
) -> Sequence[CreativePortfolio]:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        return portfolios.list_portfolios(
            unit.session, advertiser, portfolio_ids=portfolio_ids, portfolio_types=portfolio_types
        )


def get_portfolio(
    uow: UnitOfWorkFactory, principal: Principal, advertiser_id: str, portfolio_id: str
) -> CreativePortfolio:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        return portfolios.get_portfolio(unit.session, advertiser, portfolio_id)


@dataclass(frozen=True)
class VideoFile:
    """An uploaded file: its bytes, its name, and the MD5 the uploader says it has (if any)."""

    content: bytes
    file_name: str
    signature: str | None = None


def upload_video(
    uow: Units, clock: Clock, principal: Principal, advertiser_id: str, upload: VideoFile
) -> AdVideo:
    """A video for the push flow, its facts read from the file (file/video/ad/upload/, the
    wizard's post step), committed."""
    return for_advertiser(
        uow, principal, advertiser_id,
        lambda session, advertiser: videos.upload_video(
            session, clock, advertiser, content=upload.content, file_name=upload.file_name,
            signature=upload.signature,
        ),
    )  # fmt: skip


def search_videos(
    uow: Units,
    principal: Principal,
    advertiser_id: str,
    video_ids: Callable[[], Sequence[str] | None],
) -> Sequence[AdVideo]:
    """The ad account's uploaded videos, newest first; `video_ids` is read once the ad account
    is authorized (TikTok's order: access 40001 before the parameters 40002)."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        return videos.search_videos(unit.session, advertiser, video_ids=video_ids())


def create_pixel(
    uow: UnitOfWorkFactory,
    clock: Clock,
    principal: Principal,
    advertiser_id: str,
    *,
    name: str,
    category: str,
    partner_name: str,
) -> Pixel:
    return for_advertiser(
        uow, principal, advertiser_id,
        lambda session, advertiser: pixels.create_pixel(
            session, clock, advertiser, name=name, category=category, partner_name=partner_name
        ),
    )  # fmt: skip


def add_pixel_events(
    uow: UnitOfWorkFactory,
    clock: Clock,
    principal: Principal,
    advertiser_id: str,
    *,
    pixel: str,
    specs: Sequence[EventSpec],
) -> list[PixelEvent]:
    return for_advertiser(
        uow, principal, advertiser_id,
        lambda session, advertiser: pixels.add_events(
            session, clock, pixels.find_pixel(session, advertiser, pixel), specs
        ),
    )  # fmt: skip


def list_pixels(
    uow: UnitOfWorkFactory,
    principal: Principal,
    advertiser_id: str,
    *,
    pixel_ids: Sequence[str] | None,
) -> list[PixelView]:
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        found = pixels.list_pixels(unit.session, advertiser, pixel_ids=pixel_ids)
        events = pixels.events_of(unit.session, [p.pixel_id for p in found])
        return [PixelView(p, events[p.pixel_id]) for p in found]


def pixel_stats(
    uow: UnitOfWorkFactory,
    principal: Principal,
    advertiser_id: str,
    *,
    pixel_ids: Sequence[str],
    start: date,
    end: date,
) -> dict[str, list[EventCount]]:
    """Per pixel id, its tracked events' counts over the days [start, end] (ad account's time)."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        since, until = pixels.day_bounds(advertiser, start, end)
        found = [pixels.find_pixel(unit.session, advertiser, p) for p in pixel_ids]
        return pixels.event_counts(unit.session, found, since, until)


def instant_page_events(
    uow: UnitOfWorkFactory,
    principal: Principal,
    advertiser_id: str,
    *,
    objective_type: str | None,
    optimization_goal: str | None,
) -> list[GoalEvents]:
    """Per (objective, goal) sparkads accepts, filtered by the ones asked: the events it optimizes
    on. sparkads has no instant pages: a Spark ad's page is the advertiser's own landing page."""
    with uow() as unit:
        advertiser = authorize_advertiser(unit.session, principal, advertiser_id)
        tracked = sorted(
            {
                event.event_type
                for events in pixels.events_of(
                    unit.session,
                    [p.pixel_id for p in pixels.list_pixels(unit.session, advertiser)],
                ).values()
                for event in events
            }
        )
    found = []
    for objective, goals in OBJECTIVE_GOALS.items():
        if objective_type and objective.value != objective_type:
            continue
        for goal in goals:
            if optimization_goal and goal.value != optimization_goal:
                continue
            events = tracked if goal is OptimizationGoal.CONVERT else [RESULT_EVENT[goal.value]]
            found.append(GoalEvents(objective.value, goal.value, events))
    return found
