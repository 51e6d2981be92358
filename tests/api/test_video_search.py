"""file/video/ad/search/: an ad account's uploaded videos, newest first, its own only."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from factories import advertiser, open_api_get
from factories.media import mp4
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork


def test_uploaded_videos_are_found_newest_first_by_their_ad_account_only(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    brand = advertiser(uow, clock, name="Brand")
    stranger = advertiser(uow, clock, name="Stranger")
    ids = []
    for seconds in (8.0, 11.0):
        uploaded = client.post(
            "/open_api/v1.3/file/video/ad/upload/",
            headers=brand.access,
            data={"advertiser_id": brand.id},
            files={"video_file": (f"clip-{seconds}.mp4", mp4(seconds), "video/mp4")},
        ).json()
        assert uploaded["code"] == 0, uploaded
        ids.append(uploaded["data"]["video_id"])
        clock.advance(timedelta(minutes=1))

    found = open_api_get(client, brand, "file/video/ad/search/", advertiser_id=brand.id)

    assert found["code"] == 0, found
    listed = found["data"]["list"]
    assert [(v["video_id"], v["duration"]) for v in listed] == [(ids[1], 11.0), (ids[0], 8.0)]
    assert listed[0]["modify_time"] == "2026-11-02 09:01:00"
    assert found["data"]["page_info"]["total_number"] == 2
    one = open_api_get(
        client, brand, "file/video/ad/search/", advertiser_id=brand.id,
        filtering={"video_ids": [ids[0]]},
    )  # fmt: skip
    assert [v["video_id"] for v in one["data"]["list"]] == [ids[0]]
    paged = open_api_get(
        client, brand, "file/video/ad/search/", advertiser_id=brand.id, page=2, page_size=1
    )
    assert [v["video_id"] for v in paged["data"]["list"]] == [ids[0]]
    theirs = open_api_get(client, stranger, "file/video/ad/search/", advertiser_id=stranger.id)
    assert theirs["data"]["list"] == []
    refused = open_api_get(client, stranger, "file/video/ad/search/", advertiser_id=brand.id)
    assert refused["code"] == 40001
