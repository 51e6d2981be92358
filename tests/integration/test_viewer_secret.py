"""The viewer-key secret is stored sealed under the server's keys (outside the database), so a copy
of the database alone cannot link a viewer id to its key; it never changes, whatever the keys do."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sparkads import keys
from sparkads.audiences.keys import viewer_key
from sparkads.clock import TestClock
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWorkFactory
from sparkads.delivery.models import ServerSecret
from sparkads.delivery.store import VIEWER_KEYS, viewer_secret

CLOCK = TestClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


def _secret(factory: UnitOfWorkFactory, sealing: keys.KeySet | None) -> bytes:
    with factory() as unit:
        secret = viewer_secret(unit.session, CLOCK, sealing)
        unit.commit()
    return secret


def _stored(factory: UnitOfWorkFactory) -> str:
    with factory() as unit:
        return unit.session.get_one(ServerSecret, VIEWER_KEYS).value


@pytest.fixture
def factory(database_url: str) -> Iterator[UnitOfWorkFactory]:
    engine = make_engine(database_url)
    yield UnitOfWorkFactory(engine)
    engine.dispose()


def test_the_secret_is_stored_sealed_and_never_changes(
    factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    path = tmp_path / "keys.json"
    sealing = keys.load(keys_file=path).sealing
    secret = _secret(factory, sealing)
    stored = _stored(factory)
    assert secret.hex() not in stored
    assert keys.sealed_with(stored) == sealing.current
    assert _secret(factory, sealing) == secret  # read back, not made again
    key = viewer_key("viewer-1")
    # a new sealing key: sealed again with it at the next start, and the older can go
    keys.rotate(path, "sealing")
    assert _secret(factory, keys.load(keys_file=path).sealing) == secret
    assert viewer_key("viewer-1") == key
    keys.rotate(path, "sealing", drop_older=True)
    with pytest.raises(keys.KeyFileError, match="no longer has"):
        _secret(factory, keys.load(keys_file=path).sealing)


def test_a_secret_stored_in_the_clear_is_sealed_on_the_next_start(
    factory: UnitOfWorkFactory, tmp_path: Path
) -> None:
    plain = _secret(factory, None)  # a tool run without the keys
    assert _stored(factory) == plain.hex()
    sealing = keys.load(keys_file=tmp_path / "keys.json").sealing
    assert _secret(factory, sealing) == plain
    assert keys.sealed_with(_stored(factory)) == sealing.current
    with pytest.raises(keys.KeyFileError, match="no key file was given"):
        _secret(factory, None)
