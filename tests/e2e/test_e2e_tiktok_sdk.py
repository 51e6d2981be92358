"""The official TikTok Business API Python SDK (tiktok-business-api-sdk-official), pointed at a real
sparkads server, reads identities and Spark posts as it would from business-api.tiktok.com."""

from __future__ import annotations

import json

import business_api_client
import pytest
from business_api_client.tiktok_business.tiktok_exceptions import TiktokSDKError

pytestmark = pytest.mark.e2e


@pytest.fixture
def sdk(server):
    configuration = business_api_client.Configuration()
    configuration.host = server.base_url
    api_client = business_api_client.ApiClient(configuration)
    yield api_client, business_api_client.IdentityApi(api_client)
    api_client.pool.close()
    api_client.pool.join()


def _last_code(api_client) -> int:
    return int(json.loads(api_client.last_response.data)["code"])


def test_sdk_identity_get_lists_auth_code_identity_when_code_applied(applied_code, sdk):
    api_client, identity_api = sdk
    advertiser = applied_code.advertiser

    result = identity_api.identity_get(
        advertiser_id=advertiser.advertiser_id,
        access_token=advertiser.token,
        identity_type="AUTH_CODE",
    )

    assert _last_code(api_client) == 0
    assert result["request_id"]
    [identity] = result["data"]["identity_list"]
    assert identity["identity_type"] == "AUTH_CODE"
    assert identity["user_name"] == applied_code.creator.handle


def test_sdk_identity_video_info_returns_post_when_code_applied(applied_code, sdk):
    api_client, identity_api = sdk
    advertiser = applied_code.advertiser
    listed = identity_api.identity_get(
        advertiser_id=advertiser.advertiser_id,
        access_token=advertiser.token,
        identity_type="AUTH_CODE",
    )
    identity_id = listed["data"]["identity_list"][0]["identity_id"]

    result = identity_api.identity_video_info(
        access_token=advertiser.token,
        advertiser_id=advertiser.advertiser_id,
        identity_type="AUTH_CODE",
        identity_id=identity_id,
        item_id=applied_code.post["item_id"],
    )

    assert _last_code(api_client) == 0
    detail = result["data"]["video_detail"]
    assert detail["item_id"] == applied_code.post["item_id"]
    assert detail["text"] == applied_code.post["caption"]
    assert detail["auth_info"]["ad_auth_status"] == "AUTHORIZED"


def test_sdk_raises_invalid_token_error_when_token_is_wrong(applied_code, sdk):
    api_client, identity_api = sdk

    with pytest.raises(TiktokSDKError, match=r"Error Code: 40105\b"):
        identity_api.identity_get(
            advertiser_id=applied_code.advertiser.advertiser_id,
            access_token="adv_not-a-real-token",
            identity_type="AUTH_CODE",
        )
    assert _last_code(api_client) == 40105
