"""Creator Studio → publish a post from a video file, and Ads Manager → link the advertiser's own
TikTok account, through a plain HTTP client."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import advertiser, business_center, creator
from factories.media import mp4
from factories.web import csrf_of, sign_in
from sparkads.authorizations.models import Identity
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.posts.models import Post


def test_publish_a_post_from_a_video_file_reads_its_facts(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    sign_in(client, lea.token)
    form = client.get("/studio/posts/new").text
    assert 'enctype="multipart/form-data"' in form
    content = mp4(11.0, width=720, height=1280)

    response = client.post(
        "/studio/posts",
        data={"csrf_token": csrf_of(form), "caption": "Tarte", "duration": "30"},
        files={"video_file": ("tarte.mp4", content, "video/mp4")},
    )

    assert response.status_code == 200, response.text
    post = uow.session.scalars(select(Post).where(Post.creator_id == lea.id)).one()
    assert (post.duration, post.width, post.height) == (11.0, 720, 1280)
    assert post.size_bytes == len(content)


def test_publish_a_described_post_without_a_file_still_works(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    sign_in(client, lea.token)
    csrf = csrf_of(client.get("/studio/posts/new").text)

    response = client.post(
        "/studio/posts",
        data={"csrf_token": csrf, "caption": "Tarte", "duration": "12"},
        files={"video_file": ("", b"", "application/octet-stream")},
    )

    assert response.status_code == 200, response.text
    post = uow.session.scalars(select(Post).where(Post.creator_id == lea.id)).one()
    assert (post.duration, post.width, post.height, post.size_bytes) == (12.0, 1080, 1920, 0)


def test_a_file_that_is_not_a_video_is_explained(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    sign_in(client, lea.token)
    csrf = csrf_of(client.get("/studio/posts/new").text)

    response = client.post(
        "/studio/posts",
        data={"csrf_token": csrf, "caption": "Tarte", "duration": "12"},
        files={"video_file": ("notes.txt", b"not a video at all, sorry", "text/plain")},
        headers={"Accept-Language": "fr"},
    )

    assert response.status_code == 400
    assert 'data-error-code="video_file_invalid"' in response.text
    assert 'class="cause"' in response.text
    assert 'class="solution"' in response.text
    assert "MP4" in response.text
    assert uow.session.scalars(select(Post).where(Post.creator_id == lea.id)).first() is None


def test_an_advertiser_links_its_own_tiktok_account_and_the_creator_accepts(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock, name="Brand FR")
    own = creator(uow, clock, handle="brand.fr")
    sign_in(client, brand.token)
    page = client.get("/ads/business-center")
    assert page.status_code == 200, page.text
    assert "Link your own TikTok account" in page.text

    sent = client.post(
        "/ads/business-center/account-links",
        data={"csrf_token": csrf_of(page.text), "handle": "@brand.fr", "message": "Our account"},
    )

    assert sent.status_code == 200, sent.text
    request_id = re.search(r"/access/(acr_[\w-]+)", sent.text)
    assert request_id is not None
    assert "Pending" in sent.text
    listed = client.get("/ads/business-center").text
    assert f'data-request-id="{request_id.group(1)}"' in listed
    assert "@brand.fr" in listed

    client.cookies.clear()
    sign_in(client, own.token)
    inbox = client.get("/studio/access").text
    assert "Link your account to their ad account" in inbox
    accepted = client.post(
        f"/access/{request_id.group(1)}/accept", data={"csrf_token": csrf_of(inbox)}
    )

    assert accepted.status_code == 200, accepted.text
    identity = uow.session.scalars(select(Identity).where(Identity.advertiser_id == brand.id)).one()
    assert (identity.identity_type, identity.creator_id) == ("TT_USER", own.id)


def test_linking_an_unknown_handle_is_explained_on_the_page(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    bc = business_center(uow, clock)
    advertiser(uow, clock, bc_id=bc.id)
    sign_in(client, bc.token)
    page = client.get("/ads/business-center").text

    response = client.post(
        "/ads/business-center/account-links",
        data={"csrf_token": csrf_of(page), "handle": "nobody.here"},
        headers={"Accept-Language": "fr"},
    )

    assert response.status_code == 400
    assert 'data-error-code="creator_not_found"' in response.text
    assert "Associer votre propre compte TikTok" in response.text
