"""`sparkads demo` run again issues fresh "demo" tokens and revokes the previous run's, so the
tokens page keeps one "demo" token per account (not one more per `./scripts/run`); the account's
other tokens are left alone."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from factories import advertiser, business_center, creator
from sparkads.accounts import tokens
from sparkads.accounts.models import AccessToken, TokenScope
from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from sparkads.errors import SparkadsError
from sparkads.services import accounts

BC_NAME = "Demo Group"


def test_a_second_run_leaves_one_demo_token_per_account(
    database_url: str, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock, name=BC_NAME)  # its own "" labelled token: kept
    advertiser(uow, clock, bc_id=bc.id, name="Demo FR")
    creator(uow, clock)
    engine = make_engine(database_url)
    units = UnitOfWorkFactory(engine)
    try:
        first = accounts.demo_tokens(units, clock, bc_name=BC_NAME)
        clock.advance(timedelta(minutes=1))
        second = accounts.demo_tokens(units, clock, bc_name=BC_NAME)
    finally:
        engine.dispose()

    # the same accounts, the feed included, each with a new token
    assert [(t.account, t.id) for t in second] == [(t.account, t.id) for t in first]
    assert len(first) == 4
    uow.session.rollback()
    live = uow.session.scalars(
        select(AccessToken).where(AccessToken.label == "demo", AccessToken.revoked_at.is_(None))
    ).all()
    assert Counter((t.scope, t.subject_id) for t in live) == Counter(
        (scope, t.id)
        for scope, t in zip(
            (
                TokenScope.BUSINESS_CENTER,
                TokenScope.ADVERTISER,
                TokenScope.CREATOR,
                TokenScope.FEED,
            ),
            second,
            strict=True,
        )
    )
    for old, new in zip(first, second, strict=True):
        with pytest.raises(SparkadsError):
            tokens.resolve_token(uow.session, old.token, clock.now())
        assert tokens.resolve_token(uow.session, new.token, clock.now()).subject_id == new.id
    assert tokens.resolve_token(uow.session, bc.token, clock.now()).subject_id == bc.id
