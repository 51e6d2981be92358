"""The change feed keeps the snapshot current by deltas: after any sequence of changes, made through
the services, plain ORM writes or UPDATE statements, the delta-updated snapshot is the one a full
compile gives, and decides the same."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from factories.databases import Databases
from factories.delivery import assert_same_columns
from sparkads.accounts.models import Advertiser, Creator
from sparkads.authorizations import spark_codes
from sparkads.campaigns import ads as ad_service
from sparkads.campaigns import service as campaign_service
from sparkads.campaigns.adgroups import set_adgroup_status
from sparkads.campaigns.enums import OperationStatus
from sparkads.campaigns.models import Ad, AdGroup, Campaign
from sparkads.clock import TestClock
from sparkads.db.change_feed import ChangeLog
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.columns import columns_of
from sparkads.delivery.compile import Compiled, compile_snapshot, geography
from sparkads.delivery.counters import MemoryCounters
from sparkads.delivery.engine import EngineConfig, decide, prepare
from sparkads.delivery.model import Snapshot, Viewer
from sparkads.delivery.scoring import Estimates
from sparkads.delivery.store import SnapshotStore
from sparkads.errors import SparkadsError
from sparkads.posts import service as post_service
from sparkads.simulation.world import build_world, launch_campaigns, settle_code_states

Op = Callable[[Session, TestClock, int], None]


def _pick(session: Session, query: Any, n: int) -> Any:
    rows = session.scalars(query).all()
    return rows[n % len(rows)] if rows else None


def _advertiser(session: Session, advertiser_id: str) -> Advertiser:
    return session.get_one(Advertiser, advertiser_id)


def _group_status(status: OperationStatus) -> Op:
    def op(session: Session, clock: TestClock, n: int) -> None:
        group = _pick(session, select(AdGroup).order_by(AdGroup.adgroup_id), n)
        set_adgroup_status(
            session, clock, _advertiser(session, group.advertiser_id), [group.adgroup_id], status
        )

    return op


def _campaign_status(status: OperationStatus) -> Op:
    def op(session: Session, clock: TestClock, n: int) -> None:
        campaign = _pick(session, select(Campaign).order_by(Campaign.campaign_id), n)
        campaign_service.set_campaign_status(
            session,
            clock,
            _advertiser(session, campaign.advertiser_id),
            [campaign.campaign_id],
            status,
        )

    return op


def _ad_status(status: OperationStatus) -> Op:
    def op(session: Session, clock: TestClock, n: int) -> None:
        ad = _pick(session, select(Ad).order_by(Ad.ad_id), n)
        ad_service.set_ad_status(
            session, clock, _advertiser(session, ad.advertiser_id), [ad.ad_id], status
        )

    return op


def _bid(session: Session, clock: TestClock, n: int) -> None:  # a plain ORM write
    group = _pick(session, select(AdGroup).order_by(AdGroup.adgroup_id), n)
    if group.bid_price is not None:
        group.bid_price = group.bid_price + 10_000 * (1 + n % 50)
    group.frequency = None if group.frequency else 2


def _retarget(session: Session, clock: TestClock, n: int) -> None:
    group = _pick(session, select(AdGroup).order_by(AdGroup.adgroup_id), n)
    ages = [["AGE_18_24"], ["AGE_25_34", "AGE_35_44"], []][n % 3]
    group.targeting = {**group.targeting, "age_groups": ages}


def _campaign_bids(session: Session, clock: TestClock, n: int) -> None:  # an UPDATE statement
    campaign = _pick(session, select(Campaign).order_by(Campaign.campaign_id), n)
    session.execute(
        update(AdGroup)
        .where(AdGroup.campaign_id == campaign.campaign_id)
        .values(bid_price=AdGroup.bid_price + 20_000)
    )


def _ads_by_list(session: Session, clock: TestClock, n: int) -> None:  # names no single key
    ids = session.scalars(select(Ad.ad_id).order_by(Ad.ad_id)).all()[n % 3 :: 7]
    session.execute(update(Ad).where(Ad.ad_id.in_(ids)).values(operation_status="DISABLE"))


def _revoke(session: Session, clock: TestClock, n: int) -> None:
    code = _pick(
        session,
        select(spark_codes.SparkCode)
        .where(spark_codes.SparkCode.revoked_at.is_(None))
        .order_by(spark_codes.SparkCode.authorization_id),
        n,
    )
    if code is not None:
        spark_codes.revoke_authorization(
            session, clock, creator_id=code.creator_id, ref=code.authorization_id
        )


def _delete_post(session: Session, clock: TestClock, n: int) -> None:
    ad = _pick(session, select(Ad).order_by(Ad.ad_id), n)
    post = session.get_one(post_service.Post, ad.tiktok_item_id)
    post_service.delete_post(session, clock, creator_id=post.creator_id, item_id=post.item_id)


def _rename_creator(session: Session, clock: TestClock, n: int) -> None:
    creator = _pick(session, select(Creator).order_by(Creator.creator_id), n)
    creator.display_name = f"{creator.display_name[:80]} {n}"


def _organic_views(session: Session, clock: TestClock, n: int) -> None:
    ad = _pick(session, select(Ad).order_by(Ad.ad_id), n)
    post = session.get_one(post_service.Post, ad.tiktok_item_id)
    post.organic_likes += 1_000 * (n + 1)


def _timezone(session: Session, clock: TestClock, n: int) -> None:
    advertiser = _pick(session, select(Advertiser).order_by(Advertiser.advertiser_id), n)
    advertiser.timezone = ["America/New_York", "Asia/Tokyo", "Europe/Paris"][n % 3]


OPS: dict[str, Op] = {
    "pause group": _group_status(OperationStatus.DISABLE),
    "enable group": _group_status(OperationStatus.ENABLE),
    "delete group": _group_status(OperationStatus.DELETE),
    "pause campaign": _campaign_status(OperationStatus.DISABLE),
    "enable campaign": _campaign_status(OperationStatus.ENABLE),
    "delete campaign": _campaign_status(OperationStatus.DELETE),
    "pause ad": _ad_status(OperationStatus.DISABLE),
    "enable ad": _ad_status(OperationStatus.ENABLE),
    "bid": _bid,
    "retarget": _retarget,
    "campaign bids": _campaign_bids,
    "ads by list": _ads_by_list,
    "revoke code": _revoke,
    "delete post": _delete_post,
    "rename creator": _rename_creator,
    "organic likes": _organic_views,
    "advertiser timezone": _timezone,
}
VIEWERS = [
    Viewer(f"v{i}", country, age=age, gender=gender, interests=interests)
    for i, (country, age, gender, interests) in enumerate(
        [
            ("FR", 22, "FEMALE", ()),
            ("DE", 30, "MALE", ()),
            ("GB", 41, None, ()),
            ("FR", 29, "MALE", ("101",)),
            ("US", 25, "FEMALE", ()),
        ]
    )
]


def _same(delta: Compiled, full: Compiled, counters: MemoryCounters) -> None:
    a, b = delta.snapshot, full.snapshot
    assert [replace(g, index=0) for g in a.groups] == [replace(g, index=0) for g in b.groups]
    assert a.targetings == b.targetings
    assert a.audience_members == b.audience_members
    assert delta.excluded == full.excluded
    assert a.index.postings == b.index.postings
    assert a.index.unrestricted == b.index.unrestricted
    assert_same_columns(columns_of(a), columns_of(b))  # the delta's carried over by position
    # the counters' rows, carried over from the previous snapshot's estimates by the store
    carried_rows = columns_of(a).attached_to(counters)
    assert isinstance(carried_rows, Estimates)
    built_rows = Estimates.build(b, columns_of(b), counters)
    assert np.array_equal(carried_rows.stat_rows, built_rows.stat_rows)
    assert np.array_equal(carried_rows.reason_rows, built_rows.reason_rows)
    assert np.array_equal(carried_rows.ad_of_row, built_rows.ad_of_row)
    assert _decisions(a) == _decisions(b)


def _decisions(snapshot: Snapshot) -> list[tuple[str, str, int]]:
    counters = MemoryCounters()
    prepare(snapshot, counters)
    rng = random.Random(3)
    config = EngineConfig(secret=b"k" * 32)
    made = []
    for viewer in VIEWERS * 4:
        for d in decide(viewer, 2, snapshot, counters, snapshot.built_at, rng, config):
            made.append((viewer.viewer_id, d.ad.ad_id, d.event_price))
    return made


@pytest.fixture(scope="module")
def world_template(databases: Databases) -> Callable[[], str]:
    """A function that gives a fresh database holding the demo's world (built once per module
    on SQLite; built again on PostgreSQL)."""

    def fresh() -> str:
        url = databases.create()
        engine = make_engine(url)
        clock = TestClock()
        with UnitOfWorkFactory(engine)() as unit:
            world = build_world(unit.session, clock, creators=10)
            launch_campaigns(unit.session, clock, world)
            settle_code_states(unit.session, clock, world)
            unit.commit()
        engine.dispose()
        return url

    return fresh


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 10_000)), min_size=1, max_size=8
    )
)
def test_deltas_decide_like_a_full_rebuild(
    world_template: Callable[[], str], changes: list[tuple[str, int]]
) -> None:
    url = world_template()
    engine = make_engine(url)
    uow = UnitOfWorkFactory(engine)
    clock = TestClock()
    counters = MemoryCounters()
    store = SnapshotStore(uow, clock, "http://testserver", counters)
    try:
        assert store.snapshot.size > 0
        for name, n in changes:
            with uow() as unit:
                try:
                    OPS[name](unit.session, clock, n)
                except SparkadsError:
                    continue  # refused (e.g. enabling something deleted): nothing was written
                unit.commit()
            clock.advance(timedelta(milliseconds=1))
            store.mark_dirty()
            delta = store.refresh()
            with uow() as unit:
                full = compile_snapshot(
                    unit.session, clock.now(), "http://testserver", 0, geography()
                )
            _same(delta, full, counters)
    finally:
        engine.dispose()


def test_changes_are_written_with_the_change_and_only_then(database_url: str) -> None:
    """A change row is written in the transaction of the change: rolled back with it; and event
    counters on posts (paid columns) write none."""
    engine = make_engine(database_url)
    uow = UnitOfWorkFactory(engine)
    clock = TestClock()
    try:
        with uow() as unit:
            world = build_world(unit.session, clock, creators=2)
            unit.commit()
        with uow() as unit:
            before = unit.session.scalar(select(func.count()).select_from(ChangeLog))
            creator = unit.session.get_one(Creator, world.creators[0].creator_id)
            creator.display_name = "Renamed"
            unit.session.flush()
            # left without commit: rolled back
        with uow() as unit:
            assert unit.session.scalar(select(func.count()).select_from(ChangeLog)) == before
            post = world.posts[world.creators[0].creator_id][0]
            unit.session.execute(
                update(post_service.Post)
                .where(post_service.Post.item_id == post.item_id)
                .values(paid_views=post_service.Post.paid_views + 1)
            )
            row = unit.session.get_one(post_service.Post, post.item_id)
            row.paid_likes += 1
            unit.session.flush()
            unit.commit()
        with uow() as unit:
            assert unit.session.scalar(select(func.count()).select_from(ChangeLog)) == before
            creator = unit.session.get_one(Creator, world.creators[0].creator_id)
            creator.display_name = "Renamed"
            unit.commit()
        with uow() as unit:
            rows = unit.session.execute(
                select(ChangeLog.entity, ChangeLog.key).where(ChangeLog.id > 0)
            ).all()
            assert ("creator", creator.creator_id) in [tuple(r) for r in rows]
            assert unit.session.scalar(select(func.count()).select_from(ChangeLog)) == before + 1
    finally:
        engine.dispose()
