"""Ad review, takedowns and appeals (issue 20): what the native API, the web app and the CLI call.

Each method opens its own unit of work, acts through the domains (campaigns.review,
campaigns.policy, posts.service), commits, and returns plain rows for the entrypoint to render.
The change feed records the ads and posts these touch, so the delivery snapshot follows: an
approved ad serves, a rejected ad or a post taken down stops, within the snapshot's refresh."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sparkads.accounts.models import Advertiser, Creator
from sparkads.campaigns import policy, review
from sparkads.campaigns.models import Ad, AdGroup, PolicyRule
from sparkads.clock import Clock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.posts import service as posts
from sparkads.posts.models import Post, PostStatus

APPEAL_PENDING, REINSTATED, UPHELD = "PENDING", "REINSTATED", "UPHELD"


@dataclass(frozen=True)
class QueueItem:
    """An ad waiting for a reviewer, with what the reviewer needs to judge it."""

    ad_id: str
    ad_name: str
    advertiser: str
    item_id: str
    caption: str
    duration: float | None
    post_format: str
    landing_page_url: str | None
    age_groups: tuple[str, ...]
    again: bool  # a re-review after an edit
    submitted_at: datetime


@dataclass(frozen=True)
class Appeal:
    item_id: str
    handle: str
    caption: str
    reason: str  # why it was taken down
    text: str  # what the creator says
    appealed_at: datetime | None


@dataclass(frozen=True)
class Rule:
    rule_id: str
    kind: str
    value: str


@dataclass(frozen=True)
class PostState:
    item_id: str
    status: str
    status_reason: str
    appeal_status: str
    ads_affected: int


def _ads_on(session: Session, item_id: str) -> Sequence[Ad]:
    return session.scalars(
        select(Ad).where(Ad.tiktok_item_id == item_id, Ad.operation_status != "DELETE")
    ).all()


class Reviews:
    def __init__(self, uow: Callable[[], UnitOfWork], clock: Clock, *, auto_approve: bool) -> None:
        self._uow = uow
        self._clock = clock
        self._auto_approve = auto_approve

    # --- the review queue ----------------------------------------------------------------
    def queue(self, limit: int = 200) -> list[QueueItem]:
        with self._uow() as uow:
            session = uow.session
            items = []
            for ad in review.queue(session, limit):
                post = session.get_one(Post, ad.tiktok_item_id)
                group = session.get_one(AdGroup, ad.adgroup_id)
                advertiser = session.get_one(Advertiser, ad.advertiser_id)
                found = review.facts(ad, post, group)
                items.append(
                    QueueItem(
                        ad.ad_id,
                        ad.ad_name,
                        advertiser.name,
                        post.item_id,
                        post.caption,
                        post.duration,
                        post.format,
                        ad.landing_page_url,
                        tuple(found.age_groups),
                        ad.review_round > 1,
                        ad.modify_time,
                    )
                )
            return items

    def approve(self, ad_id: str, *, reviewer: str) -> None:
        with self._uow() as uow:
            review.approve(uow.session, self._clock, ad_id, reviewer=reviewer)
            uow.commit()

    def reject(self, ad_id: str, *, reviewer: str, reasons: Sequence[str], note: str = "") -> None:
        with self._uow() as uow:
            review.reject(
                uow.session, self._clock, ad_id, reviewer=reviewer, reasons=reasons, note=note
            )
            uow.commit()

    # --- policy rules --------------------------------------------------------------------
    def rules(self) -> list[Rule]:
        with self._uow() as uow:
            return [_rule(row) for row in policy.list_rules(uow.session)]

    def add_rule(self, kind: str, value: str) -> Rule:
        with self._uow() as uow:
            row = policy.add_rule(uow.session, self._clock, kind=kind, value=value)
            uow.commit()
            return _rule(row)

    def remove_rule(self, rule_id: str) -> Rule:
        with self._uow() as uow:
            row = policy.remove_rule(uow.session, rule_id)
            uow.commit()
            return _rule(row)

    # --- takedowns and appeals -----------------------------------------------------------
    def take_down(self, item_id: str, *, reason: str) -> PostState:
        """The post goes offline as non-compliant: every ad on it stops (the change feed carries
        the post's row to the snapshot), every code on it answers video_unavailable with the
        cause."""
        cleaned = " ".join(reason.split())
        if not cleaned:
            raise SparkadsError(
                "invalid_parameter",
                field="reason",
                detail=LocalText(N_("say which rule the post breaks")),
            )
        with self._uow() as uow:
            post = posts.take_down_post(uow.session, self._clock, item_id=item_id, reason=cleaned)
            post.appeal_status, post.appeal_text, post.appealed_at = "", "", None
            state = _state(post, len(_ads_on(uow.session, item_id)))
            uow.commit()
            return state

    def appeal(self, *, creator_id: str, item_id: str, text: str) -> PostState:
        """The creator contests a takedown: the post joins the reviewers' appeals."""
        with self._uow() as uow:
            post = posts.get_own_post(uow.session, creator_id=creator_id, item_id=item_id)
            if post.status != PostStatus.TAKEN_DOWN or post.appeal_status == APPEAL_PENDING:
                raise SparkadsError(
                    "appeal_not_possible",
                    state=post.appeal_status or post.status,
                )
            post.appeal_status = APPEAL_PENDING
            post.appeal_text = " ".join(text.split())[:1000]
            post.appealed_at = self._clock.now()
            posts.record(uow.session, self._clock, post, "appealed", text=post.appeal_text)
            state = _state(post, len(_ads_on(uow.session, item_id)))
            uow.commit()
            return state

    def appeals(self) -> list[Appeal]:
        with self._uow() as uow:
            rows = uow.session.execute(
                select(Post, Creator)
                .join(Creator, Creator.creator_id == Post.creator_id)
                .where(Post.appeal_status == APPEAL_PENDING)
                .order_by(Post.appealed_at, Post.item_id)
            ).all()
            return [
                Appeal(
                    p.item_id, c.handle, p.caption, p.status_reason, p.appeal_text, p.appealed_at
                )
                for p, c in rows
            ]

    def decide_appeal(self, item_id: str, *, reinstate: bool, reviewer: str) -> PostState:
        """Reinstate: the post is back online and its ads go through review again (they serve
        once approved); uphold: it stays down."""
        with self._uow() as uow:
            session = uow.session
            post = posts.get_post(session, item_id)
            if post.appeal_status != APPEAL_PENDING:
                raise SparkadsError("appeal_not_possible", state=post.appeal_status or post.status)
            ads = _ads_on(session, item_id)
            if reinstate:
                post.status, post.status_reason = PostStatus.ACTIVE.value, ""
                post.appeal_status = REINSTATED
                for ad in ads:
                    group = session.get_one(AdGroup, ad.adgroup_id)
                    review.submit(
                        session,
                        self._clock,
                        ad,
                        post,
                        group,
                        auto_approve=self._auto_approve,
                        edited=True,
                    )
            else:
                post.appeal_status = UPHELD
            post.updated_at = self._clock.now()
            posts.record(
                session, self._clock, post, "appeal_decided", reinstated=reinstate, by=reviewer
            )
            session.flush()
            state = _state(post, len(ads))
            uow.commit()
            return state


def _rule(row: PolicyRule) -> Rule:
    return Rule(row.rule_id, row.kind, row.value)


def _state(post: Post, ads: int) -> PostState:
    return PostState(post.item_id, post.status, post.status_reason, post.appeal_status, ads)
