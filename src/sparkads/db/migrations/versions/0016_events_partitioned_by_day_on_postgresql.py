"""Events partitioned by day on PostgreSQL (native declarative partitioning); SQLite unchanged

The events table becomes `PARTITION BY RANGE (decision_day)`, one partition a day
(`events_pYYYYMMDD`) and a default partition as a safety net. PostgreSQL needs the partition key
in every unique constraint, so the key is the UTC day of the *decision* (carried by the token):
every copy of an event has the same one, and (decision_id, event_type, decision_day) is unique
exactly when (decision_id, event_type) is. Old rows get the day they occurred. Partitions are made
ahead and dropped past the retention by `sparkads jobs event-partitions` (events/partitions.py).
Ids keep their sequence; rollups read events by id as before.
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"

COLUMNS = (
    "id, decision_id, event_type, advertiser_id, campaign_id, adgroup_id, ad_id, item_id, "
    "viewer_id, country, age_group, gender, platform, province_id, occurred_at, received_at, "
    "billing, goal, price, cost, billing_note"
)


def _set_aside(table: str, tag: str) -> None:
    """The events table, its keys and indexes renamed out of the way (`table`, `pk_events_<tag>`,
    ...), so that the new events table can take their names."""
    op.execute(f"ALTER TABLE events RENAME TO {table}")
    op.execute(f"ALTER TABLE {table} RENAME CONSTRAINT pk_events TO pk_events_{tag}")
    op.execute(
        f"ALTER TABLE {table} RENAME CONSTRAINT uq_events_decision_id TO uq_events_{tag}_decision"
    )
    op.execute(f"ALTER INDEX ix_events_ad_time RENAME TO ix_events_{tag}_ad_time")
    op.execute(f"ALTER INDEX ix_events_viewer RENAME TO ix_events_{tag}_viewer")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _set_aside("events_flat", "flat")
    op.execute(
        "CREATE TABLE events (LIKE events_flat INCLUDING DEFAULTS, "
        "decision_day date NOT NULL DEFAULT ((now() AT TIME ZONE 'UTC')::date)) "
        "PARTITION BY RANGE (decision_day)"
    )
    op.execute("ALTER SEQUENCE events_id_seq OWNED BY events.id")
    op.execute("ALTER TABLE events ADD CONSTRAINT pk_events PRIMARY KEY (id, decision_day)")
    op.execute(
        "ALTER TABLE events ADD CONSTRAINT uq_events_decision_id "
        "UNIQUE (decision_id, event_type, decision_day)"
    )
    op.execute("CREATE INDEX ix_events_ad_time ON events (ad_id, occurred_at)")
    op.execute(
        "CREATE INDEX ix_events_viewer ON events (advertiser_id, viewer_id, event_type, occurred_at)"
    )
    op.execute("CREATE TABLE events_default PARTITION OF events DEFAULT")
    # a partition for every day that has events, and for today and the week ahead
    op.execute(
        """
        DO $$
        DECLARE day date;
        BEGIN
          FOR day IN
            SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date FROM events_flat
            UNION
            SELECT generate_series(
              (now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7, '1 day'
            )::date
          LOOP
            EXECUTE format(
              'CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
              'events_p' || to_char(day, 'YYYYMMDD'), day, day + 1
            );
          END LOOP;
        END $$
        """
    )
    op.execute(
        f"INSERT INTO events ({COLUMNS}, decision_day) "  # noqa: S608 (constant column list)
        # the day a decision was made is not stored on old rows: the day of its first event
        # (seconds after the decision) stands for it, the same for every event of a decision,
        # so a feed's retry after the upgrade meets the stored copy and stays a duplicate
        f"SELECT {COLUMNS}, (min(occurred_at) OVER (PARTITION BY decision_id) "
        f"AT TIME ZONE 'UTC')::date FROM events_flat"
    )
    op.execute("DROP TABLE events_flat")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _set_aside("events_partitioned", "part")
    op.execute(
        f"CREATE TABLE events AS SELECT {COLUMNS} FROM events_partitioned"  # noqa: S608
    )
    op.execute("ALTER SEQUENCE events_id_seq OWNED BY events.id")
    op.execute("ALTER TABLE events ALTER COLUMN id SET DEFAULT nextval('events_id_seq')")
    op.execute("ALTER TABLE events ADD CONSTRAINT pk_events PRIMARY KEY (id)")
    op.execute(
        "ALTER TABLE events ADD CONSTRAINT uq_events_decision_id UNIQUE (decision_id, event_type)"
    )
    op.execute("CREATE INDEX ix_events_ad_time ON events (ad_id, occurred_at)")
    op.execute(
        "CREATE INDEX ix_events_viewer ON events (advertiser_id, viewer_id, event_type, occurred_at)"
    )
    op.execute("DROP TABLE events_partitioned")
