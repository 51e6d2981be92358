"""file/image/ad/search/, file/music/get/ and creative/portfolio/*: the images and sounds of an
ad account's library posts (derived from the posts) and its CTA portfolios, its own only."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient

from factories import (
    Account,
    advertiser,
    authorize_post,
    creator,
    open_api_get,
    open_api_post,
    publish,
)
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

PHOTOS = [
    {"url": "https://img.example.com/a.jpg", "width": 1080, "height": 1440},
    {"url": "https://img.example.com/b.png", "width": 1080, "height": 1920},
]


def _library(client: TestClient, brand: Account, author: Account, **post: object) -> str:
    published = publish(client, author, **post)
    code = authorize_post(client, author, published["item_id"])["auth_code"]
    applied = open_api_post(
        client, brand, "tt_video/authorize/", advertiser_id=brand.id, auth_code=code
    )
    assert applied["code"] == 0, applied
    return str(published["item_id"])


def test_library_posts_give_their_covers_photos_and_original_sounds(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, stranger = advertiser(uow, clock, name="Brand"), advertiser(uow, clock, name="Other")
    author = creator(uow, clock, "lea.sounds")
    sound = {"title": "Lea's kitchen beat", "cleared_for_commercial_use": True}
    video = _library(client, brand, author, caption="Beat #coffee", music=sound)
    clock.advance(timedelta(minutes=5))
    photos = _library(
        client, brand, author, item_type="CAROUSEL", images=PHOTOS, music=sound, caption="Photos"
    )
    clock.advance(timedelta(minutes=5))
    silent = _library(client, brand, author, caption="No sound")

    images = open_api_get(client, brand, "file/image/ad/search/", advertiser_id=brand.id)
    assert images["code"] == 0, images
    listed = images["data"]["list"]
    assert [i["image_id"] for i in listed] == [  # newest library post first
        f"sparkads-cover/{silent}",
        f"sparkads-photo/{photos}/1",
        f"sparkads-photo/{photos}/2",
        f"sparkads-cover/{video}",
    ]
    assert [(i["format"], i["width"], i["height"]) for i in listed[1:3]] == [
        ("jpeg", 1080, 1440),
        ("png", 1080, 1920),
    ]
    cover = listed[3]
    served = client.get(cover["image_url"].split("testserver", 1)[-1])
    assert served.status_code == 200
    assert (cover["size"], cover["signature"]) == (
        len(served.content),
        hashlib.md5(served.content).hexdigest(),
    )
    assert (cover["width"], cover["height"], cover["format"]) == (270, 480, "svg")
    assert cover["modify_time"] == "2026-11-02 09:00:00"
    one = open_api_get(
        client, brand, "file/image/ad/search/", advertiser_id=brand.id,
        filtering={"image_ids": [cover["image_id"]]},
    )  # fmt: skip
    assert [i["image_id"] for i in one["data"]["list"]] == [cover["image_id"]]

    music = open_api_get(client, brand, "file/music/get/", advertiser_id=brand.id)
    assert music["code"] == 0, music
    (track,) = music["data"]["musics"]  # one sound: same creator, same title
    assert (track["name"], track["author"], track["copyright"]) == (
        "Lea's kitchen beat",
        "Lea.Sounds",
        "COMMERCIAL_USE",
    )
    assert track["duration"] == 12.0  # the video's length: its original sound
    assert (track["create_time"], track["modify_time"]) == (
        "2026-11-02 09:00:00",
        "2026-11-02 09:05:00",
    )
    carousel = open_api_get(
        client, brand, "file/music/get/", advertiser_id=brand.id, music_scene="CAROUSEL_ADS"
    )
    assert [m["music_id"] for m in carousel["data"]["musics"]] == [track["music_id"]]

    for path in ("file/image/ad/search/", "file/music/get/"):
        theirs = open_api_get(client, stranger, path, advertiser_id=stranger.id)
        assert theirs["code"] == 0
        assert not next(v for k, v in theirs["data"].items() if k != "page_info")
        assert open_api_get(client, stranger, path, advertiser_id=brand.id)["code"] == 40001
    refused = open_api_get(
        client, stranger, "file/music/get/", advertiser_id=brand.id, music_scene="RADIO"
    )
    assert refused["code"] == 40001  # the ad account first, then the parameters
    bad = open_api_get(client, brand, "file/music/get/", advertiser_id=brand.id, music_scene="X")
    assert bad["code"] == 40002


def test_cta_portfolios_are_created_listed_and_read_by_their_ad_account(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, stranger = advertiser(uow, clock, name="Brand"), advertiser(uow, clock, name="Other")
    content = [
        {"asset_content": "SHOP_NOW", "asset_ids": ["0"]},
        {"asset_content": "LEARN_MORE", "asset_ids": ["0"]},
    ]
    made = open_api_post(
        client, brand, "creative/portfolio/create/", advertiser_id=brand.id,
        creative_portfolio_type="CTA", portfolio_content=content,
    )  # fmt: skip
    assert made["code"] == 0, made
    portfolio_id = made["data"]["creative_portfolio_id"]

    listed = open_api_get(client, brand, "creative/portfolio/list/", advertiser_id=brand.id)
    assert listed["data"]["creative_portfolios"] == [
        {
            "creative_portfolio_id": portfolio_id,
            "creative_portfolio_type": "CTA",
            "creative_portfolio_preview_url": None,
            "create_time": "2026-11-02 09:00:00",
        }
    ]
    assert listed["data"]["page_info"]["total_number"] == 1
    got = open_api_get(
        client, brand, "creative/portfolio/get/", advertiser_id=brand.id,
        creative_portfolio_id=portfolio_id,
    )  # fmt: skip
    assert got["data"]["portfolio_content"] == content

    other_type = open_api_post(
        client, brand, "creative/portfolio/create/", advertiser_id=brand.id,
        creative_portfolio_type="GIFT_CODE", portfolio_content=content,
    )  # fmt: skip
    assert other_type["code"] == 40002
    assert "GIFT_CODE" in other_type["message"]
    not_a_cta = open_api_post(
        client, brand, "creative/portfolio/create/", advertiser_id=brand.id,
        creative_portfolio_type="CTA", portfolio_content=[{"asset_content": "BUY IT"}],
    )  # fmt: skip
    assert not_a_cta["code"] == 40002
    assert not_a_cta["data"]["error"]["solution"]
    theirs = open_api_get(
        client, stranger, "creative/portfolio/get/", advertiser_id=stranger.id,
        creative_portfolio_id=portfolio_id,
    )  # fmt: skip
    assert (theirs["code"], theirs["data"]["error"]["reason"]) == (40002, "portfolio_not_found")
    french = open_api_get(
        client, stranger, "creative/portfolio/get/", headers={"Accept-Language": "fr"},
        advertiser_id=stranger.id, creative_portfolio_id=portfolio_id,
    )  # fmt: skip
    assert "n'existe pas" in french["message"]
    assert (
        open_api_get(client, stranger, "creative/portfolio/list/", advertiser_id=stranger.id)[
            "data"
        ]["creative_portfolios"]
        == []
    )
    refused = open_api_post(
        client, stranger, "creative/portfolio/create/", advertiser_id=brand.id,
        creative_portfolio_type="CTA", portfolio_content=content,
    )  # fmt: skip
    assert refused["code"] == 40001
