"""Ads Manager → new campaign → "upload a new ads-only video" (R6 push flow), through a plain HTTP
client: the file is uploaded at the post step, the review shows it, and launching publishes an
ads-only post on the advertiser's own account with a Spark ad on it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import FRANCE, Account, advertiser, creator
from factories.media import mp4
from factories.web import sign_in
from sparkads.accounts.models import Advertiser
from sparkads.authorizations import access
from sparkads.campaigns.models import Ad, AdVideo
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.posts.models import Post


def _hidden(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)


def _form(hidden: list[tuple[str, str]], fields: dict[str, str]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in [*hidden, *fields.items()]:
        data.setdefault(name, []).append(value)
    return data


def _linked_brand(uow: UnitOfWork, clock: TestClock) -> tuple[Account, Account]:
    """An advertiser whose own TikTok account (@brand.fr) is linked as a TT_USER identity."""
    brand = advertiser(uow, clock, name="Brand FR")
    own = creator(uow, clock, handle="brand.fr")
    request = access.request_account_link(
        uow.session, clock, advertiser=uow.session.get_one(Advertiser, brand.id), handle="brand.fr"
    )
    access.accept(uow.session, clock, creator_id=own.id, request_id=request.request_id)
    uow.commit()
    return brand, own


def _step(
    client: TestClient, page: str, fields: dict[str, str], files: dict[str, object] | None = None
) -> str:
    """Submit the wizard's form as a browser would: its hidden state plus the step's fields."""
    response = client.post("/ads/campaigns/new", data=_form(_hidden(page), fields), files=files)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return response.text


def _to_post_step(client: TestClient) -> str:
    page = client.get("/ads/campaigns/new").text
    return _step(client, page, {"objective": "TRAFFIC", "campaign_name": "Pushed", "go": "next"})


def test_the_post_step_offers_an_upload_on_the_own_account(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, _ = _linked_brand(uow, clock)
    sign_in(client, brand.token)

    page = _to_post_step(client)

    assert 'enctype="multipart/form-data"' in page
    assert 'name="post" value="upload"' in page
    assert '<option value="TT_USER:' in page
    assert "@brand.fr" in page


def test_without_an_own_account_the_upload_explains_how_to_get_one(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)

    page = _to_post_step(client)

    assert re.search(r'name="post" value="upload"[^>]*disabled', page)
    assert 'href="/ads/business-center"' in page
    assert 'name="video_file"' not in page


def test_an_uploaded_video_is_launched_as_an_ads_only_spark_ad(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, own = _linked_brand(uow, clock)
    sign_in(client, brand.token)
    page = _to_post_step(client)
    identity = re.search(r'<option value="(TT_USER:\d+)"', page)
    assert identity is not None
    content = mp4(12.0, width=720, height=1280)

    details = _step(
        client, page,
        {"post": "upload", "upload_identity": identity.group(1), "ad_text": "New roast", "go": "next"},
        files={"video_file": ("roast.mp4", content, "video/mp4")},
    )  # fmt: skip
    assert 'name="landing_page_url"' in details, details
    assert "roast.mp4" in details
    review = _step(
        client, details,
        {"promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
         "landing_page_url": "https://brand.example.com/roast", "location_ids": FRANCE,
         "budget": "50", "go": "next"},
    )  # fmt: skip
    # a server that has received no feed traffic says so instead of forecasting
    assert 'data-forecast="no-basis"' in review, review
    assert "Not enough traffic to forecast" in review
    assert "New roast" in review
    assert uow.session.scalars(select(Post).where(Post.creator_id == own.id)).first() is None
    done = client.post(
        "/ads/campaigns/new", data=_form(_hidden(review), {"go": "launch"}), follow_redirects=True
    )

    assert done.status_code == 200, done.text
    uow.session.expire_all()
    post = uow.session.scalars(select(Post).where(Post.creator_id == own.id)).one()
    assert (post.caption, post.ads_only, post.duration, post.width) == (
        "New roast",
        True,
        12.0,
        720,
    )
    ad = uow.session.scalars(select(Ad).where(Ad.advertiser_id == brand.id)).one()
    assert (ad.tiktok_item_id, ad.identity_type) == (post.item_id, "TT_USER")
    assert uow.session.scalars(select(AdVideo)).one().file_name == "roast.mp4"


def test_upload_step_errors_are_explained_and_nothing_is_published(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand, own = _linked_brand(uow, clock)
    sign_in(client, brand.token)
    page = _to_post_step(client)
    identity = re.search(r'<option value="(TT_USER:\d+)"', page)
    assert identity is not None

    no_file = _step(
        client, page,
        {"post": "upload", "upload_identity": identity.group(1), "ad_text": "x", "go": "next"},
    )  # fmt: skip
    not_a_video = client.post(
        "/ads/campaigns/new",
        data=_form(_hidden(page), {"post": "upload", "upload_identity": identity.group(1),
                                   "ad_text": "x", "go": "next"}),
        files={"video_file": ("notes.txt", b"plain text, not a video", "text/plain")},
        headers={"Accept-Language": "fr"},
    )  # fmt: skip

    assert 'data-error-code="invalid_parameter"' in no_file
    assert "video_file" in no_file
    assert [r.status_code for r in not_a_video.history] == [303]  # POST-redirect-GET
    assert re.search(r"/ads/campaigns/new/[0-9a-f]{16}/post$", str(not_a_video.url))
    assert 'data-error-code="video_file_invalid"' in not_a_video.text
    assert "MP4" in not_a_video.text
    assert uow.session.scalars(select(AdVideo)).first() is None
    assert uow.session.scalars(select(Post).where(Post.creator_id == own.id)).first() is None
