"""Creator discovery in the browser, through a plain HTTP client: a creator joins the marketplace
from Creator Studio, a brand finds and ranks creators in Ads Manager, invites one for a post, and
the creator's acceptance puts the post in the brand's creative library."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import Account, advertiser, creator, publish
from factories.web import csrf_of, sign_in
from sparkads.accounts.models import Creator
from sparkads.authorizations.models import LibraryItem
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork
from sparkads.marketplace.models import Collaboration, CreatorProfile


def _join(client: TestClient, who: Account, fee: str, countries: tuple[str, ...] = ("FR",)) -> str:
    sign_in(client, who.token)
    page = client.get("/studio/marketplace")
    assert page.status_code == 200, page.text
    response = client.post(
        "/studio/marketplace/profile",
        data={"csrf_token": csrf_of(page.text), "sector": "food", "countries": list(countries),
              "languages": "fr, en", "asking_fee": fee},
    )  # fmt: skip
    return response.text


def _followers(uow: UnitOfWork, who: Account, followers: int) -> None:
    uow.session.get_one(Creator, who.id).followers = followers
    uow.commit()


def test_a_creator_joins_the_marketplace_from_creator_studio(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")

    page = _join(client, lea, "120")

    assert "Your marketplace profile is saved" in page
    profile = uow.session.get_one(CreatorProfile, lea.id)
    assert (profile.sector, profile.countries, profile.languages) == ("food", ["FR"], ["fr", "en"])
    assert profile.asking_fee == 120_000_000
    assert "Leave the marketplace" in page


def test_a_bad_profile_is_explained_in_french_and_nothing_is_saved(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    sign_in(client, lea.token)
    page = client.get("/studio/marketplace").text

    response = client.post(
        "/studio/marketplace/profile",
        data={"csrf_token": csrf_of(page), "sector": "food", "countries": ["FR"],
              "languages": "klingon", "asking_fee": "80"},
        headers={"Accept-Language": "fr"},
    )  # fmt: skip

    assert response.status_code == 400
    assert 'data-error-code="invalid_parameter"' in response.text
    assert "klingon" in response.text
    assert 'class="solution"' in response.text
    assert uow.session.get(CreatorProfile, lea.id) is None


def test_the_search_ranks_an_engaged_micro_creator_above_a_pricier_macro_one(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    micro, macro = creator(uow, clock, handle="micro.food"), creator(uow, clock, handle="big.food")
    _followers(uow, micro, 40_000)
    _followers(uow, macro, 800_000)
    for who, views, likes in ((micro, 30_000, 3_000), (macro, 200_000, 2_000)):
        publish(client, who, organic={"views": views, "likes": likes, "comments": 0, "shares": 0})
    _join(client, micro, "150")
    _join(client, macro, "4000")
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)

    page = client.get("/ads/creators", params={"sector": "food", "budget": "5000"})
    micro_only = client.get("/ads/creators", params={"sector": "food", "tier": "micro"})

    assert page.status_code == 200, page.text
    ranked = re.findall(r'data-creator-id="(\d+)" data-tier="(\w+)"', page.text)
    assert ranked == [(micro.id, "micro"), (macro.id, "macro")]
    assert "With your budget" in page.text
    assert re.findall(r'data-creator-id="(\d+)"', micro_only.text) == [micro.id]


def test_an_invitation_accepted_in_studio_puts_the_post_in_the_brand_library(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    post = publish(client, lea, caption="Crêpes party")
    _join(client, lea, "90")
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    invite_page = client.get(f"/ads/creators/{lea.id}").text
    assert "Crêpes party" in invite_page
    assert 'value="90.00"' in invite_page

    sent = client.post(
        f"/ads/creators/{lea.id}/invite",
        data={"csrf_token": csrf_of(invite_page), "item_id": post["item_id"], "fee": "90",
              "duration_days": "60", "message": "Spring menu"},
    )  # fmt: skip
    assert sent.status_code == 200, sent.text
    assert "Invitation sent" in sent.text
    [row] = uow.session.scalars(select(Collaboration)).all()
    sign_in(client, lea.token)
    inbox = client.get("/studio/marketplace").text
    assert "Spring menu" in inbox
    accepted = client.post(
        f"/studio/marketplace/invitations/{row.collaboration_id}/accept",
        data={"csrf_token": csrf_of(inbox)},
    )

    assert accepted.status_code == 200, accepted.text
    assert "already in its library" in accepted.text
    item = uow.session.scalars(
        select(LibraryItem).where(LibraryItem.advertiser_id == brand.id)
    ).one()
    assert item.item_id == post["item_id"]
    sign_in(client, brand.token)
    assert "Accepted" in client.get("/ads/collaborations").text
    assert "Crêpes party" in client.get("/ads/library").text


def _invite(client: TestClient, uow: UnitOfWork, clock: TestClock, **fields: str) -> httpx.Response:
    """A brand signed in sends the invitation form of a creator in the marketplace, for one of
    her posts, with these fields."""
    lea = creator(uow, clock, handle="lea.cooks")
    post = publish(client, lea)
    _join(client, lea, "90")
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    page = client.get(f"/ads/creators/{lea.id}").text
    return client.post(
        f"/ads/creators/{lea.id}/invite",
        data={"csrf_token": csrf_of(page), "item_id": post["item_id"], **fields},
    )


def test_an_invitation_without_a_fee_is_explained_and_not_sent(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    response = _invite(client, uow, clock, fee="", duration_days="30")

    assert response.status_code == 400
    assert 'data-error-code="invalid_parameter"' in response.text
    assert "fee" in response.text
    assert uow.session.scalars(select(Collaboration)).first() is None


def test_a_creator_outside_the_marketplace_cannot_be_invited(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)

    response = client.get(f"/ads/creators/{lea.id}")

    assert response.status_code == 404
    assert 'data-error-code="creator_profile_not_found"' in response.text


def test_a_brand_cancels_and_a_creator_declines_invitations(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    lea = creator(uow, clock, handle="lea.cooks")
    first, second = publish(client, lea), publish(client, lea, caption="Galette")
    _join(client, lea, "90")
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)
    page = client.get(f"/ads/creators/{lea.id}").text
    for post in (first, second):
        client.post(
            f"/ads/creators/{lea.id}/invite",
            data={"csrf_token": csrf_of(page), "item_id": post["item_id"], "fee": "90",
                  "duration_days": "30"},
        )  # fmt: skip
    rows = {r.item_id: r for r in uow.session.scalars(select(Collaboration))}
    mine = client.get("/ads/collaborations").text

    cancelled = client.post(
        f"/ads/collaborations/{rows[first['item_id']].collaboration_id}/cancel",
        data={"csrf_token": csrf_of(mine)},
    )
    sign_in(client, lea.token)
    inbox = client.get("/studio/marketplace").text
    declined = client.post(
        f"/studio/marketplace/invitations/{rows[second['item_id']].collaboration_id}/decline",
        data={"csrf_token": csrf_of(inbox)},
    )
    closed = client.post(
        f"/studio/marketplace/invitations/{rows[first['item_id']].collaboration_id}/accept",
        data={"csrf_token": csrf_of(inbox)},
        headers={"Accept-Language": "fr"},
    )

    assert "Invitation cancelled" in cancelled.text
    assert "Invitation declined" in declined.text
    uow.session.expire_all()
    assert {r.status for r in uow.session.scalars(select(Collaboration))} == {
        "CANCELLED", "DECLINED",
    }  # fmt: skip
    assert closed.status_code == 409, closed.text
    assert 'data-error-code="collaboration_closed"' in closed.text


def test_a_search_with_a_fee_that_is_not_a_number_is_explained_on_the_filled_in_form(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock)
    sign_in(client, brand.token)

    page = client.get("/ads/creators", params={"max_fee": "abc", "tier": "micro"})

    assert page.status_code == 400
    assert 'data-error-code="invalid_parameter"' in page.text
    assert 'value="abc"' in page.text
    assert re.search(r'value="micro"[^>]*checked', page.text)
    assert "data-creator-id" not in page.text


def test_a_creator_refused_the_creator_search_is_sent_to_the_studio_not_the_form(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    sign_in(client, creator(uow, clock).token)

    page = client.get("/ads/creators", params={"max_fee": "abc"}, follow_redirects=False)

    assert page.status_code == 303
    assert page.headers["location"] == "/studio"


def test_an_invitation_for_a_duration_that_is_not_a_number_is_explained_on_the_form(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    response = _invite(client, uow, clock, fee="120", duration_days="a month", message="Hello Lea")

    assert response.status_code == 400
    assert 'data-error-code="invalid_parameter"' in response.text
    assert "7, 30, 60 or 365" in response.text
    assert "Hello Lea" in response.text
    assert uow.session.scalars(select(Collaboration)).first() is None
