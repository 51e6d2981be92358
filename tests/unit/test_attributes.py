"""sparkads.attributes: one record from another's attributes of the same names."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import pytest
from pydantic import BaseModel, ValidationError

from sparkads.api.native.feed_schemas import ViewerIn
from sparkads.attributes import field_names, from_attributes, leading_fields, picked
from sparkads.delivery.model import Behaviour, Viewer
from sparkads.posts.models import Post


@dataclass(frozen=True)
class Row:
    item_id: str
    status: str
    views: int
    secret: str = "kept"


class Read(BaseModel):
    item_id: str
    status: str
    views_label: str
    note: str = ""


class Facts(NamedTuple):
    status: str
    item_id: str
    secret: str = "default"


@dataclass(frozen=True)
class Out:
    item_id: str
    status: str
    label: str
    views: int


def test_same_names_are_copied_and_the_others_given() -> None:
    read = from_attributes(Read, Row("i1", "ACTIVE", 3), views_label="3 views")
    assert read == Read(item_id="i1", status="ACTIVE", views_label="3 views", note="")


def test_a_given_field_wins_over_the_attribute_of_the_same_name() -> None:
    assert from_attributes(Facts, Row("i1", "ACTIVE", 3), status="DELETED") == (
        "DELETED",
        "i1",
        "kept",
    )


def test_a_field_the_source_lacks_keeps_its_default_or_is_missing() -> None:
    assert from_attributes(Facts, Read(item_id="i1", status="A", views_label="")).secret == (
        "default"
    )
    with pytest.raises(ValidationError, match="views_label"):
        from_attributes(Read, Row("i1", "ACTIVE", 3))
    with pytest.raises(TypeError, match="label"):
        from_attributes(Out, Row("i1", "ACTIVE", 3))


def test_conversions_by_name_convert_those_fields_only() -> None:
    facts = from_attributes(Facts, Row("i1", "ACTIVE", 3), {"status": str.lower, "views": str})
    assert facts == ("active", "i1", "kept")  # Facts has no `views`: its conversion is not run


def test_one_conversion_converts_every_copied_field_but_not_the_given_ones() -> None:
    read = from_attributes(Read, Row("i1", "ACTIVE", 3), str.upper, views_label="3 views")
    assert read == Read(item_id="I1", status="ACTIVE", views_label="3 views")
    with pytest.raises(TypeError, match="upper"):  # each copied value goes through it (views: 3)
        from_attributes(Out, Row("i1", "ACTIVE", 3), str.upper, label="")


def test_a_given_field_is_not_converted() -> None:
    converted = from_attributes(Facts, Row("i1", "ACTIVE", 3), {"status": str.lower}, status="X")
    assert converted.status == "X"


@dataclass(frozen=True)
class _Cached:
    item_id: str
    views: int = 0
    label: str = field(default="", init=False)


def test_fields_a_dataclass_does_not_take_are_left_to_it() -> None:
    assert field_names(_Cached) == ("item_id", "views")
    assert from_attributes(_Cached, Out("i1", "A", "shown", 3)) == _Cached("i1", 3)


def test_field_names_in_declared_order() -> None:
    assert field_names(Row) == ("item_id", "status", "views", "secret")
    assert field_names(Read) == ("item_id", "status", "views_label", "note")
    assert field_names(Facts) == ("status", "item_id", "secret")
    assert field_names(Post)[:4] == ("item_id", "creator_id", "item_type", "format")  # columns
    with pytest.raises(TypeError, match="declares no fields"):
        field_names(int)


def test_leading_fields_are_the_shared_ones_in_the_targets_order() -> None:
    assert leading_fields(Row, Out, besides=("views",)) == ("item_id", "status")
    assert leading_fields(Facts, Row) == ("status", "item_id", "secret")
    assert leading_fields(Facts, Row, besides=("status", "item_id", "secret")) == ()


def test_a_shared_field_after_another_is_refused_not_left_out() -> None:
    # Row's `views` comes after `status`, which Out lacks once set aside
    with pytest.raises(TypeError, match="Row: views should come before its other fields"):
        leading_fields(Row, Out, besides=("status",))
    with pytest.raises(TypeError, match="Out: views should come before"):
        leading_fields(Out, Row)  # Out declares `label` (not a Row field) before `views`


def test_picked_attributes_in_the_order_named() -> None:
    assert list(picked(Row("i1", "ACTIVE", 3), "views", "item_id").items()) == [
        ("views", 3),
        ("item_id", "i1"),
    ]
    with pytest.raises(AttributeError):
        picked(Row("i1", "ACTIVE", 3), "label")


def test_the_feed_body_fills_each_viewer_field_by_name() -> None:
    body = ViewerIn.model_validate(
        {
            "viewer_id": "v1",
            "country": "FR",
            "region": "IDF",
            "age": 31,
            "gender": "FEMALE",
            "language": "fr",
            "device": {"os": "IOS", "os_version": "17.4", "network": "5G", "price": 900},
            "interests": ["101", "102"],
            "behaviours": [
                {
                    "action_scene": "VIDEO_RELATED",
                    "action": "LIKED",
                    "category_id": "101",
                    "days_ago": 3,
                }
            ],
        }
    )
    assert body.to_domain() == Viewer(
        viewer_id="v1",
        country="FR",
        region="IDF",
        age=31,
        gender="FEMALE",
        language="fr",
        os="IOS",
        os_version=(17, 4),
        network="5G",
        device_price=900,
        interests=("101", "102"),
        behaviours=(Behaviour("VIDEO_RELATED", "LIKED", "101", 3),),
    )
    assert ViewerIn(viewer_id="v2", country="DE").to_domain() == Viewer(
        viewer_id="v2", country="DE"
    )
