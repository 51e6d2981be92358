from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from sparkads.db.base import Base


class ServerSecret(Base):
    """Secrets the server signs with (decision tokens), created once per database so tokens stay
    valid across restarts and across processes sharing the database."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
