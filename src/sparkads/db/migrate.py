"""Alembic, driven from code: `serve`, `migrate` and the tests all call `upgrade`."""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Every package that declares tables (as names: the storage layer does not import domains).
MODEL_MODULES = (
    "accounts",
    "posts",
    "authorizations",
    "audiences",
    "campaigns",
    "delivery",
    "events",
    "reporting",
    "marketplace",
    "traffic",
    "assets",
)


def import_models() -> None:
    """Register every table on Base.metadata (for migrations and schema checks)."""
    for name in MODEL_MODULES:
        importlib.import_module(f"sparkads.{name}.models")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # the option is read through configparser: a % in the URL (an encoded password) is doubled
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
