"""Event types and per-event statuses, declared once (the native API's schemas, the web feed,
the metrics and the intake all read them from here). `StrEnum`s: a member is its wire string
(`EventType.CLICK == "click"`), so the database column, JSON and the feed client see the same
strings as before."""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """What a feed reports about a served decision, in the order the API documents them."""

    IMPRESSION = "impression"
    VIEW_2S = "view_2s"
    VIEW_6S = "view_6s"
    COMPLETE_VIEW = "complete_view"
    PLAY_25 = "play_25"
    PLAY_50 = "play_50"
    PLAY_75 = "play_75"
    PLAY_100 = "play_100"
    CLICK = "click"
    LIKE = "like"
    COMMENT = "comment"
    SHARE = "share"
    FOLLOW = "follow"
    PROFILE_VISIT = "profile_visit"
    CONVERSION = "conversion"


class EventStatus(StrEnum):
    """What became of one event of a batch."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


# The values in documented order, for membership tests on raw strings and for messages.
EVENT_TYPES: tuple[EventType, ...] = tuple(EventType)
