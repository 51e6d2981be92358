"""Event types, event statuses and not-served reasons are declared once (issue 18): the API's
schemas, the web pages and the metrics read the enums, and a member is its wire string."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from sparkads.api.feed_metrics import EVENT_STATUSES
from sparkads.api.native.feed_schemas import EventIn, EventResultOut
from sparkads.delivery.reasons import Excluded, NotServed
from sparkads.events.kinds import EVENT_TYPES, EventStatus, EventType
from sparkads.web.delivery import EXCLUDED, REASONS


def test_the_feed_schemas_accept_exactly_the_declared_event_types_and_statuses() -> None:
    schema = EventIn.model_json_schema()
    assert schema["$defs"]["EventType"]["enum"] == [t.value for t in EventType]
    for kind in EVENT_TYPES:
        assert EventIn.model_validate({"token": "t", "type": kind}).type is EventType(kind)
    with pytest.raises(ValidationError, match="'impression', 'view_2s'"):
        EventIn.model_validate({"token": "t", "type": "view_3s"})
    statuses = EventResultOut.model_json_schema()["$defs"]["EventStatus"]["enum"]
    assert statuses == ["accepted", "duplicate", "rejected"] == list(EVENT_STATUSES)


def test_members_are_their_wire_strings() -> None:
    assert EventType.PLAY_100 == "play_100"
    assert f"{EventStatus.DUPLICATE}" == "duplicate"
    assert json.dumps({NotServed.BELOW_RESERVE: Excluded.NO_ADS}) == '{"below_reserve": "no_ads"}'
    assert {"outbid": 3}[NotServed.OUTBID] == 3  # counters read back from Redis as plain strings


def test_every_reason_has_its_words_on_the_delivery_page() -> None:
    assert list(REASONS) == list(NotServed)
    # `no_ads` has no sentence of its own: the page shows the code (nothing to serve)
    assert set(EXCLUDED) == set(Excluded) - {Excluded.NO_ADS}
