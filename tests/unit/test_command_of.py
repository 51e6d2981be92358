"""`command_of` maps a checked body to a domain command: same-named fields copied, lists as
tuples, nested bodies by their own `command()`, given values over the body's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import BaseModel

from sparkads.commands import command_of
from sparkads.marketplace.commands import Profile
from sparkads.marketplace.schemas import ProfileIn
from sparkads.posts.commands import Anchor, NewPost
from sparkads.posts.schemas import PostCreate


def test_lists_become_tuples_and_nested_bodies_map_themselves() -> None:
    body = PostCreate.model_validate(
        {"caption": "c", "duration": 3, "anchors": [{"title": "a", "url": "https://x.example/"}]}
    )
    command = command_of(body, NewPost)
    assert command.anchors == (Anchor("LINK", "a", "https://x.example/"),)
    assert (command.caption, command.duration) == ("c", 3)
    assert (command.images, command.music) == ((), None)


def test_given_values_win_over_the_body() -> None:
    body = ProfileIn(sector="food", countries=["FR"], asking_fee=2.5)
    assert command_of(body, Profile, asking_fee=7) == Profile(
        sector="food", countries=("FR",), asking_fee=7
    )
    assert body.command().asking_fee == 2_500_000


class _Inner(BaseModel):
    x: int


class _Outer(BaseModel):
    inner: _Inner


@dataclass(frozen=True)
class _Command:
    inner: int


def test_a_nested_body_that_cannot_map_itself_is_refused() -> None:
    with pytest.raises(TypeError, match="_Inner has no command"):
        command_of(_Outer(inner=_Inner(x=1)), _Command)
    assert command_of(_Outer(inner=_Inner(x=1)), _Command, inner=1) == _Command(1)
