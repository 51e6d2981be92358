"""Database URLs as users write them: plain `postgresql://` (or `postgres://`) means psycopg 3."""

from __future__ import annotations

import pytest

from sparkads.db.engine import normalise_url
from sparkads.db.migrate import alembic_config


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgresql://app:secret@db:5432/sparkads",
            "postgresql+psycopg://app:secret@db:5432/sparkads",
        ),
        ("postgres://app@db/sparkads", "postgresql+psycopg://app@db/sparkads"),
        ("postgresql+psycopg://app@db/sparkads", "postgresql+psycopg://app@db/sparkads"),
        ("sqlite:///var/sparkads.db", "sqlite:///var/sparkads.db"),
    ],
)
def test_postgresql_urls_use_psycopg_3(given: str, used: str) -> None:
    assert normalise_url(given).render_as_string(hide_password=False) == used


def test_migrations_get_a_url_with_an_encoded_password_unchanged() -> None:
    url = "postgresql://app:p%40ss%25word@db/sparkads"
    assert alembic_config(url).get_main_option("sqlalchemy.url") == url
