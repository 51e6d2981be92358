"""Storage foundation: declarative base, engine factory, unit of work and migrations.

Dialect specifics (SQLite pragmas, PostgreSQL options) live here and nowhere else.
"""

from sparkads.db.base import Base
from sparkads.db.engine import make_engine
from sparkads.db.unit_of_work import UnitOfWork, UnitOfWorkFactory

__all__ = ["Base", "UnitOfWork", "UnitOfWorkFactory", "make_engine"]
