"""Event intake: verify, deduplicate, bill, count on the original post (R2). Never commits: the
entrypoint commits, then acknowledges; if the commit fails, the billing is refunded."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from sparkads.accounts.models import Creator
from sparkads.campaigns.catalog import catalog
from sparkads.delivery import tokens
from sparkads.delivery.counters import BudgetLine, Counters
from sparkads.errors import SparkadsError
from sparkads.events.budgets import BudgetBook
from sparkads.events.kinds import EVENT_TYPES, EventStatus
from sparkads.events.models import Event, SpendEntry
from sparkads.events.sink import DEFAULT_SINK, EventSink
from sparkads.posts.models import Post

# How far a play got, as players report it: 25 %, 50 %, 75 %, 100 %. `play_100` is the same fact
# as `complete_view` and is recorded as one (once per decision, whichever name the feed sends).
STORED_AS = {"play_100": "complete_view"}
RESULT_EVENT = {"FOLLOWERS": "follow", "PROFILE_VIEWS": "profile_visit"}
# R2: paid engagement lands on the original post (and follows on the creator), apart from organic.
POST_COUNTER = {
    "view_2s": "paid_views",
    "like": "paid_likes",
    "comment": "paid_comments",
    "share": "paid_shares",
    "profile_visit": "paid_profile_visits",
}
PAID_COLUMNS = tuple(POST_COUNTER.values())
AD_STAT = {
    "impression": "impressions",
    "click": "clicks",
    "conversion": "conversions",
    "view_6s": "views_6s",
    "follow": "follows",
}
EVENTS = cast(Table, Event.__table__)
LEDGER = cast(Table, SpendEntry.__table__)
POSTS = cast(Table, Post.__table__)
CREATORS = cast(Table, Creator.__table__)
MAX_FUTURE_SKEW = 300.0  # seconds an event may claim to be ahead of the server clock


@dataclass(frozen=True)
class IncomingEvent:
    token: str
    event_type: str
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class PixelConversion(IncomingEvent):
    """A conversion naming the pixel (its code or id) that received it and the pixel's event (a
    class of its own: the usual event is built with three fields, as cheaply as before)."""

    pixel_code: str = ""
    pixel_event: str = ""


@dataclass
class EventResult:
    index: int
    status: EventStatus
    reason: str | None = None
    billed: int = 0
    detail: str | None = None  # for `invalid_event`: which field and what is wrong
    # a refusal with a catalogue entry (its code is `reason`): `detail` in the reader's language
    problem: SparkadsError | None = field(default=None, repr=False, compare=False)

    def refuse(self, problem: SparkadsError) -> None:
        self.status, self.reason, self.problem = EventStatus.REJECTED, problem.code, problem
        self.detail = problem.render("en")["message"]


# a verified event: its place in the batch, its decision's claims, the event
Verified = tuple[int, tokens.Claims, IncomingEvent]
# what looks at the verified events before they are recorded: refuses some (`EventResult.refuse`)
# and answers those to record
Screen = Callable[[list[EventResult], list[Verified]], list[Verified]]


@dataclass
class Outcome:
    results: list[EventResult]
    billed: list[tuple[list[BudgetLine], int]] = field(default_factory=list)
    stats: Counter[tuple[str, str]] = field(default_factory=Counter)

    def refund(self, counters: Counters) -> None:
        for lines, amount in self.billed:
            counters.refund(lines, amount)

    def apply_stats(self, counters: Counters) -> None:
        for (ad_id, stat), count in self.stats.items():
            counters.add_ad_stat(ad_id, stat, count)


def province_id(country: str, region: str) -> str:
    """The targeting catalogue's location id of a viewer's region (`FR` + `IDF`), as TikTok's
    `province_id`; empty when the feed gave no region or the catalogue does not know it."""
    if not region:
        return ""
    location = f"{_country_location(country)}-{region}"
    return location if catalog().location(location) else ""


@lru_cache(maxsize=4096)
def _utc_day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


@lru_cache(maxsize=512)
def _country_location(country: str) -> str:
    found = catalog().locations(level="COUNTRY", country_code=country) if country else []
    return found[0].location_id if found else ""


def billed_event(billing: str, goal: str) -> str:
    """Which event an ad group pays for (R14)."""
    return {"CPM": "impression", "CPC": "click", "CPV": "view_6s"}.get(
        billing, RESULT_EVENT.get(goal, "conversion")
    )


def cost_of(claims: tokens.Claims) -> int:
    return cost_per_event(claims.price, claims.billing)


def cost_per_event(price: int, billing: str) -> int:
    """What one billed event costs at `price` (CPM prices are per mille)."""
    return max(1, price // 1000) if billing == "CPM" else price


def _verified(
    events: Sequence[IncomingEvent],
    keys: Mapping[str, bytes] | bytes,
    now: datetime,
    feed_id: str | None = None,
) -> tuple[list[EventResult], list[Verified]]:
    results, valid = [], []
    # One decision usually brings several events (impression, views, click): check each token once.
    checked: dict[str, tokens.Claims | tokens.TokenError] = {}
    for index, event in enumerate(events):
        if event.event_type not in EVENT_TYPES:
            results.append(EventResult(index, EventStatus.REJECTED, "unknown_event_type"))
            continue
        outcome = checked.get(event.token)
        if outcome is None:
            try:
                outcome = tokens.verify(event.token, keys, now.timestamp())
                if feed_id is not None and outcome.feed_id != feed_id:
                    outcome = tokens.TokenError("token_wrong_feed")
            except tokens.TokenError as error:
                outcome = error
            checked[event.token] = outcome
        if isinstance(outcome, tokens.TokenError):
            results.append(EventResult(index, EventStatus.REJECTED, outcome.reason))
            continue
        payload = outcome
        occurred = event.occurred_at or now
        if occurred.timestamp() > now.timestamp() + MAX_FUTURE_SKEW or (
            occurred.timestamp() < payload.issued_at - MAX_FUTURE_SKEW
        ):
            results.append(EventResult(index, EventStatus.REJECTED, "occurred_at_out_of_range"))
            continue
        result = EventResult(index, EventStatus.ACCEPTED)
        results.append(result)
        if event.event_type in STORED_AS:
            event = replace(event, event_type=STORED_AS[event.event_type])
        valid.append((index, payload, event))
    return results, valid


def ingest(
    session: Session,
    counters: Counters,
    budgets: BudgetBook,
    keys: Mapping[str, bytes] | bytes,
    now: datetime,
    events: Sequence[IncomingEvent],
    feed_id: str | None = None,
    screen: Screen | None = None,
) -> Outcome:
    """A feed's batch: tokens verified (by any key of the key set; made for `feed_id`, if given),
    screened (the pixels conversions name, `screen`), then recorded. Per-event results say what
    happened."""
    results, valid = _verified(events, keys, now, feed_id)
    if screen is not None:
        valid = screen(results, valid)
    return record(session, counters, budgets, now, Outcome(results), valid)


def record(
    session: Session,
    counters: Counters,
    budgets: BudgetBook,
    now: datetime,
    outcome: Outcome,
    valid: list[Verified],
    sink: EventSink = DEFAULT_SINK,
) -> Outcome:
    """Insert new events (duplicates per decision and type are recognised), bill, count."""
    results = outcome.results
    if not valid:
        return outcome
    rows = [
        {
            "decision_id": p.decision_id,
            "event_type": e.event_type,
            "advertiser_id": p.advertiser_id,
            "campaign_id": p.campaign_id,
            "adgroup_id": p.adgroup_id,
            "ad_id": p.ad_id,
            "item_id": p.item_id,
            "viewer_id": p.viewer_id,
            "country": p.country,
            "age_group": p.age_group,
            "gender": p.gender,
            "platform": p.platform,
            "province_id": p.province_id or province_id(p.country, p.region),
            "occurred_at": (e.occurred_at or now).astimezone(UTC),
            "received_at": now,
            "billing": p.billing,
            "goal": p.goal,
            "price": p.price,
            "cost": 0,
            "billing_note": None,
            "decision_day": _utc_day(p.issued_at),  # PostgreSQL's partition key
        }
        for _, p, e in valid
    ]
    inserted = sink.insert_new(session, rows)
    fresh = []
    for (index, payload, event), row in zip(valid, rows, strict=True):
        # pop: a second copy of the same event in this batch is a duplicate, not new
        event_id = inserted.pop((payload.decision_id, event.event_type), None)
        if event_id is None:
            results[index].status = EventStatus.DUPLICATE
            continue
        fresh.append((index, payload, event, row, event_id))
    try:
        _bill(session, counters, budgets, outcome, fresh, sink)
        _count_on_posts(session, fresh)
    except Exception:
        outcome.refund(counters)
        raise
    for _, payload, event, _, _ in fresh:
        stat = AD_STAT.get(event.event_type)
        if stat:
            outcome.stats[(payload.ad_id, stat)] += 1
    return outcome


def _bill(
    session: Session,
    counters: Counters,
    budgets: BudgetBook,
    outcome: Outcome,
    fresh: list[tuple[int, tokens.Claims, IncomingEvent, dict[str, Any], int]],
    sink: EventSink,
) -> None:
    ledger: list[dict[str, Any]] = []
    costs: list[tuple[int, int]] = []
    notes: list[tuple[str, int]] = []
    for index, payload, event, row, event_id in fresh:
        if event.event_type != billed_event(payload.billing, payload.goal):
            continue
        amount = cost_of(payload)
        lines, day = budgets.lines(payload.adgroup_id, row["occurred_at"])
        if not counters.try_bill(lines, amount):
            notes.append(("over_budget", event_id))
            continue
        outcome.billed.append((lines, amount))
        outcome.results[index].billed = amount
        costs.append((amount, event_id))
        ledger.append(
            {
                "event_id": event_id,
                "advertiser_id": payload.advertiser_id,
                "campaign_id": payload.campaign_id,
                "adgroup_id": payload.adgroup_id,
                "ad_id": payload.ad_id,
                "amount": amount,
                "local_day": day,
                "at": row["occurred_at"],
            }
        )
    # in bulk, on the events just inserted in this transaction (ids from the sink)
    sink.insert(session, LEDGER, ledger)
    sink.executemany(session, "UPDATE events SET cost = ? WHERE id = ?", costs)
    sink.executemany(session, "UPDATE events SET billing_note = ? WHERE id = ?", notes)


# one statement for every batch (built once: building it costs more than running it)
_ADD_PAID = (
    update(POSTS)
    .where(POSTS.c.item_id == bindparam("post_id"))
    .values({name: POSTS.c[name] + bindparam(f"add_{name}") for name in PAID_COLUMNS})
)


def _count_on_posts(
    session: Session, fresh: list[tuple[int, tokens.Claims, IncomingEvent, dict[str, Any], int]]
) -> None:
    per_post: dict[str, Counter[str]] = defaultdict(Counter)
    follows: Counter[str] = Counter()
    for _, payload, event, _, _ in fresh:
        column = POST_COUNTER.get(event.event_type)
        if column:
            per_post[payload.item_id][column] += 1
        elif event.event_type == "follow":
            follows[payload.item_id] += 1
    # Rows are updated in id order, posts then creators, in every batch: concurrent batches lock
    # them in the same order and never wait on each other in a circle (PostgreSQL deadlocks).
    if per_post:
        # one statement for the whole batch: every paid counter, added per post
        session.execute(
            _ADD_PAID,
            [
                {"post_id": item_id, **{f"add_{n}": columns.get(n, 0) for n in PAID_COLUMNS}}
                for item_id, columns in sorted(per_post.items())
            ],
        )
    per_creator: Counter[str] = Counter()
    for item_id, count in follows.items():
        per_creator[session.get_one(Post, item_id).creator_id] += count
    for creator_id, count in sorted(per_creator.items()):
        session.execute(
            update(CREATORS)
            .where(CREATORS.c.creator_id == creator_id)
            .values(paid_followers=CREATORS.c.paid_followers + count)
        )
