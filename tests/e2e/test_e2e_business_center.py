"""Business Center access (R11) through a real server: the BC asks for a creator's account, the QR
code really scans to the link, the creator accepts, and the BC's advertisers can use the posts."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

pytestmark = pytest.mark.e2e


@pytest.fixture
def access_request(accounts, make_creator, make_business_center, http):
    creator, bc = accounts(make_creator, make_business_center)
    response = http.post(
        "/api/v1/access-requests",
        json={"handle": creator.handle, "message": "Spring campaign"},
        headers=bc.headers(),
    )
    assert response.status_code == 201, response.text
    return creator, bc, response.json()


def test_access_request_qr_png_decodes_to_its_link_when_scanned(access_request, http):
    _, bc, request = access_request

    png = http.get(f"/api/v1/access-requests/{request['request_id']}/qr.png", headers=bc.headers())

    assert png.status_code == 200, png.text
    assert png.headers["content-type"] == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [barcode.text for barcode in decoded] == [request["link"]]


def test_access_request_qr_svg_is_served_as_svg_when_asked(access_request, http):
    _, bc, request = access_request

    svg = http.get(f"/api/v1/access-requests/{request['request_id']}/qr.svg", headers=bc.headers())

    assert svg.status_code == 200, svg.text
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in svg.text


def test_access_request_link_opens_an_html_page_when_followed(access_request, http):
    creator, _, request = access_request

    page = http.get(request["link"])

    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert f"@{creator.handle}" in page.text


def test_bc_advertiser_uses_creator_posts_when_creator_accepts_access(
    access_request, make_advertiser, http
):
    creator, bc, request = access_request
    video = creator.publish(caption="Unboxing the spring collection", duration=11)

    pending = http.get("/api/v1/access-requests", headers=creator.headers())
    assert pending.status_code == 200, pending.text
    mine = [r for r in pending.json() if r["request_id"] == request["request_id"]]
    assert [r["status"] for r in mine] == ["PENDING"]
    assert mine[0]["business_center"]["bc_id"] == bc.bc_id

    accepted = http.post(
        f"/api/v1/access-requests/{request['request_id']}/accept", headers=creator.headers()
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "ACCEPTED"

    advertiser = make_advertiser(bc_id=bc.bc_id)
    identities = advertiser.get(
        "/identity/get/", identity_type="BC_AUTH_TT", identity_authorized_bc_id=bc.bc_id
    )
    assert identities["code"] == 0, identities
    [identity] = identities["data"]["identity_list"]
    assert identity["identity_type"] == "BC_AUTH_TT"
    assert identity["identity_authorized_bc_id"] == bc.bc_id
    assert identity["identity_id"] == accepted.json()["identity_id"]

    videos = advertiser.get(
        "/identity/video/get/",
        identity_type="BC_AUTH_TT",
        identity_id=identity["identity_id"],
        identity_authorized_bc_id=bc.bc_id,
    )
    assert videos["code"] == 0, videos
    assert [v["item_id"] for v in videos["data"]["video_list"]] == [video["item_id"]]
    assert videos["data"]["video_list"][0]["text"] == "Unboxing the spring collection"
