"""The campaign wizard targets as completely as the API: languages, behaviours, device OS, version
and network, custom and lookalike audiences (listed with their sizes), each checked by the same
validation as adgroup/create/."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from factories import FRANCE, spark_world
from factories.web import sign_in, wizard_step
from sparkads.audiences.service import create_audience
from sparkads.campaigns.models import AdGroup
from sparkads.clock import TestClock
from sparkads.db.unit_of_work import UnitOfWork

Fields = dict[str, str | list[str]]


def _details(client: TestClient) -> str:
    page = client.get("/ads/campaigns/new").text
    page = wizard_step(
        client, page, {"objective": "TRAFFIC", "campaign_name": "Full", "go": "next"}
    )
    post = re.search(r'name="post" value="([^"]+:[^"]+:[^"]+)"', page)
    assert post is not None, page
    return wizard_step(client, page, {"post": post.group(1), "go": "next"})


def _world(client: TestClient, uow: UnitOfWork, clock: TestClock) -> tuple[str, str, str]:
    world = spark_world(client, uow, clock)
    sizes = {"Newsletter readers": 4_000, "Like our readers": 25_000}
    ids = [
        create_audience(
            uow.session, clock, advertiser_id=world.brand.id, name=name, size=size,
            audience_type="Lookalike Audience" if name.startswith("Like") else "Customer File Audience",
        ).audience_id
        for name, size in sizes.items()
    ]  # fmt: skip
    uow.commit()
    sign_in(client, world.brand.token)
    return world.brand.id, ids[0], ids[1]


TARGETING: Fields = {
    "promotion_type": "WEBSITE", "call_to_action": "LEARN_MORE",
    "landing_page_url": "https://brand.example.com/", "location_ids": FRANCE, "budget": "50",
    "languages": ["fr", "en"], "behaviour_actions": ["LIKED", "SHARED"],
    "behaviour_category": "101", "behaviour_period": "15", "operating_systems": ["IOS"],
    "min_ios_version": "15.0", "network_types": ["WIFI", "5G"],
}  # fmt: skip


def test_the_details_step_offers_every_targeting_with_audience_sizes(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    _, readers, _ = _world(client, uow, clock)

    page = _details(client)

    for name in ("languages", "behaviour_actions", "behaviour_category", "operating_systems",
                 "min_android_version", "min_ios_version", "network_types", "audience_ids",
                 "excluded_audience_ids"):  # fmt: skip
        assert f'name="{name}"' in page, name
    assert f'<tr data-audience-id="{readers}"><th scope="row">Newsletter readers' in page
    assert "4,000 viewers" in page
    assert "25,000 viewers" in page
    assert ">Lookalike</span>" in page
    client.cookies.set("sa_lang", "fr")
    french = _details(client)
    assert "4\u202f000 spectateurs" in french
    assert "> français</label>" in french


def test_a_launched_campaign_keeps_the_full_targeting(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    advertiser_id, readers, lookalike = _world(client, uow, clock)
    page = _details(client)
    review = wizard_step(client, page, {**TARGETING, "audience_ids": [lookalike],
                                  "excluded_audience_ids": [readers], "go": "next"})  # fmt: skip
    assert "Launch campaign" in review, review

    launched = wizard_step(client, review, {"go": "launch"})

    assert "launched" in launched
    uow.session.expire_all()
    group = uow.session.scalars(
        select(AdGroup).where(
            AdGroup.advertiser_id == advertiser_id, AdGroup.adgroup_name == "Full"
        )
    ).one()
    assert group is not None
    targeting = group.targeting
    assert targeting["languages"] == ["fr", "en"]
    assert targeting["operating_systems"] == ["IOS"]
    assert targeting["min_ios_version"] == "15.0"
    assert sorted(targeting["network_types"]) == ["5G", "WIFI"]
    assert targeting["audience_ids"] == [lookalike]
    assert targeting["excluded_audience_ids"] == [readers]
    [action] = targeting["actions"]
    assert action["action_period"] == 15
    assert sorted(action["video_user_actions"]) == ["LIKED", "SHARED"]
    assert action["action_category_ids"] == ["101"]


def test_bad_targeting_is_refused_as_the_api_refuses_it(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    _world(client, uow, clock)
    page = _details(client)

    version = wizard_step(client, page, {**TARGETING, "min_ios_version": "fifteen", "go": "next"})
    assert 'data-error-code="invalid_parameter"' in version
    assert "min_ios_version" in version
    no_category = wizard_step(client, page, {**TARGETING, "behaviour_category": "", "go": "next"})
    assert 'data-error-code="invalid_parameter"' in no_category
    assert "action_category_ids" in no_category


@pytest.mark.parametrize(
    ("language", "why", "refusal"),
    [
        (
            "en",
            "Too small to target: under 1,000 people. It can still be excluded.",
            "Audience “Like our viewers (FR, DE)” ({id}) is too small to target (374 people).",
        ),
        (
            "fr",
            "Trop petite pour être ciblée : moins de 1\u202f000 personnes.",
            "L'audience « Like our viewers (FR, DE) » ({id}) est trop petite pour être ciblée "
            "(374 personnes).",
        ),
    ],
    ids=["en", "fr"],
)
def test_an_audience_too_small_to_target_is_offered_disabled_and_named_when_refused(
    client: TestClient, uow: UnitOfWork, clock: TestClock, language: str, why: str, refusal: str
) -> None:
    advertiser_id, _, _ = _world(client, uow, clock)
    small = create_audience(
        uow.session, clock, advertiser_id=advertiser_id, name="Like our viewers (FR, DE)",
        size=374, audience_type="Lookalike Audience",
    ).audience_id  # fmt: skip
    uow.commit()
    client.cookies.set("sa_lang", language)
    page = _details(client)

    row = re.search(rf'<tr data-audience-id="{small}">.*?</tr>', page, re.S)
    assert row is not None
    include, exclude = re.findall(r"<input [^>]*>", row.group(0))
    assert 'name="audience_ids"' in include
    assert " disabled " in include
    assert 'name="excluded_audience_ids"' in exclude
    assert "disabled" not in exclude  # excluding a small audience is allowed
    assert why in html.unescape(row.group(0))

    refused = wizard_step(client, page, {**TARGETING, "audience_ids": [small], "go": "next"})
    assert 'data-error-code="audience_too_small"' in refused
    assert refusal.format(id=small) in html.unescape(refused)


@pytest.mark.parametrize(
    ("language", "names", "included", "excluded"),
    [
        ("en", "French, English", "Audiences: Like our readers", "Excluded: Newsletter readers"),
        ("fr", "français, anglais", "Audiences : Like our readers", "Exclues : Newsletter readers"),
    ],
    ids=["en", "fr"],
)
def test_the_review_s_audience_line_names_the_languages_and_the_audiences(
    client: TestClient,
    uow: UnitOfWork,
    clock: TestClock,
    language: str,
    names: str,
    included: str,
    excluded: str,
) -> None:
    _, readers, lookalike = _world(client, uow, clock)
    client.cookies.set("sa_lang", language)
    page = _details(client)

    chosen = {"audience_ids": [lookalike], "excluded_audience_ids": [readers], "go": "next"}
    review = html.unescape(wizard_step(client, page, {**TARGETING, **chosen}))

    assert f'<span data-review="languages">{names}</span>' in review
    assert f'<span data-review="audiences">{included}</span>' in review
    assert f'<span data-review="excluded-audiences">{excluded}</span>' in review


def test_the_review_warns_when_profiling_reaches_minors(
    client: TestClient, uow: UnitOfWork, clock: TestClock
) -> None:
    _world(client, uow, clock)
    warned = 'data-warning-code="minors_see_no_profiled_ads"'

    # behaviours (profiling), in France, no age ticked (every age): minors there will not see it
    review = wizard_step(client, _details(client), {**TARGETING, "go": "next"})
    assert warned in review
    assert "13 to 17 in these countries will not see this ad group: FR." in review
    assert "(Behaviours)" in review  # the field by its label, not its wire name (actions)
    client.cookies.set("sa_lang", "fr")
    french = wizard_step(client, _details(client), {**TARGETING, "go": "next"})
    assert "Les spectateurs de 13 à 17 ans de ces pays ne verront pas" in html.unescape(french)
    assert "(Comportements)" in html.unescape(french)
    client.cookies.set("sa_lang", "en")

    adults = wizard_step(
        client, _details(client), {**TARGETING, "age_groups": ["AGE_18_24"], "go": "next"}
    )
    assert "Launch campaign" in adults
    assert warned not in adults
    plain = {k: v for k, v in TARGETING.items() if not k.startswith("behaviour_")}
    assert warned not in wizard_step(client, _details(client), {**plain, "go": "next"})
