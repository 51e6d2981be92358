"""The review queue in Chromium at desktop (1280 px) and phone (390 px) widths, in English and
French: a reviewer rejects an ad with reasons the advertiser then reads in Ads Manager, approves
another, and a creator reads a takedown and appeals it. This module runs its own
`sparkads serve --sandbox --review-by-people` (ads wait for a person, as in production)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from test_browser_pages import LOW_CONTRAST, UNLABELLED_FIELDS

from factories.live_ad import LiveAd, launch_spark_ad
from factories.server import hermetic_env, serving

FRANCE = "3017382"


@dataclass(frozen=True)
class Server:
    """This module's server (the shared one auto-approves: it runs --sandbox alone)."""

    base_url: str
    database_url: str
    workdir: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    workdir = tmp_path_factory.mktemp("browser-review")
    database_url = f"sqlite:///{workdir / 'review.db'}"
    with serving(workdir, database_url, "--review-by-people") as (base_url, _log):
        yield Server(base_url=base_url, database_url=database_url, workdir=workdir)


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=15) as client:
        yield client


@pytest.fixture(scope="module")
def cli(server: Server) -> Callable[..., dict[str, Any]]:
    def run(*args: str) -> dict[str, Any]:
        command = [sys.executable, "-m", "sparkads", *args, "--json"]
        command += ["--database-url", server.database_url]
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=server.workdir, env=hermetic_env(),
            timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        parsed: dict[str, Any] = json.loads(done.stdout)
        return parsed

    return run


@pytest.fixture(scope="module")
def reviewer_token(cli: Callable[..., dict[str, Any]]) -> str:
    return str(
        cli("operators", "create", "--name", "Camille", "--role", "reviewer")["access_token"]
    )


def sign_in(page: Any, token: str, landing: str) -> None:
    """The sign-in form in any language: the token field, then Enter."""
    page.goto("/signin")
    page.locator("#token").fill(token)
    page.locator("#token").press("Enter")
    page.wait_for_url(re.compile(rf".*{landing}$"))


def fits(page: Any, width: int) -> None:
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert page.evaluate(LOW_CONTRAST) == []
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at {width}px"


TEXT = {
    "en": {
        "queue": "Review queue",
        "reject": "Reject with reasons",
        "misleading": "Misleading claims",
        "note": "Note for the advertiser (optional)",
        "button_reject": "Reject",
        "rejected": "Rejected: the advertiser sees the reasons.",
        "approve": "Approve",
        "approved": "Approved: the ad serves within a second.",
        "reason": "The ad makes misleading claims.",
        "status": "Rejected in review",
    },
    "fr": {
        "queue": "File d'examen",
        "reject": "Refuser avec des motifs",
        "misleading": "Affirmations trompeuses",
        "note": "Note pour l'annonceur (facultative)",
        "button_reject": "Refuser",
        "rejected": "Refusée : l'annonceur voit les motifs.",
        "approve": "Approuver",
        "approved": "Approuvée : l'annonce est diffusée dans la seconde.",
        "reason": "L'annonce contient des affirmations trompeuses.",
        "status": "Refusée à l'examen",
    },
}
LOCALE = {"en": "en-US", "fr": "fr-FR"}


@pytest.mark.parametrize(("width", "lang"), [(1280, "en"), (390, "fr")])
def test_a_reviewer_rejects_with_reasons_the_advertiser_reads(
    new_page: Callable[..., Any],
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
    reviewer_token: str,
    ui: Any,
    width: int,
    lang: str,
) -> None:
    words = TEXT[lang]
    ad: LiveAd = launch_spark_ad(http, cli, FRANCE, caption=f"Crêpes that cure all ({lang})")
    page = new_page(locale=LOCALE[lang], width=width, height=860 if width > 500 else 844)
    sign_in(page, reviewer_token, "/review")
    expect(page.get_by_role("heading", name=words["queue"], exact=True)).to_be_visible()
    card = page.locator(f'[data-review-ad="{ad.ad_id}"]')
    expect(card.locator("[data-caption]")).to_have_text(ad.caption)
    fits(page, width)
    ui.screenshot(page, f"review-queue-{width}-{lang}", full_page=width < 500)
    card.get_by_text(words["reject"]).click()
    card.get_by_label(words["misleading"]).check()
    card.get_by_label(words["note"]).fill("Crêpes cure nothing.")
    card.get_by_role("button", name=words["button_reject"]).click()
    expect(page.get_by_text(words["rejected"])).to_be_visible()
    expect(page.locator(f'[data-review-ad="{ad.ad_id}"]')).to_have_count(0)

    brand = new_page(locale=LOCALE[lang], width=width, height=860 if width > 500 else 844)
    sign_in(brand, ad.advertiser_token, "/ads")
    brand.goto("/ads/campaigns#ads")
    reason = brand.locator('[data-review-reason="review_misleading"]')
    expect(reason).to_contain_text(words["reason"])
    expect(reason).to_contain_text("Crêpes cure nothing.")
    expect(brand.get_by_text(words["status"], exact=True)).to_be_visible()
    fits(brand, width)
    reason.scroll_into_view_if_needed()  # on a phone the ads table scrolls sideways to it
    ui.screenshot(brand, f"ads-manager-rejected-{width}-{lang}")


@pytest.mark.parametrize(("width", "lang"), [(390, "en"), (1280, "fr")])
def test_a_reviewer_approves_and_the_ad_serves(
    new_page: Callable[..., Any],
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
    reviewer_token: str,
    width: int,
    lang: str,
) -> None:
    words = TEXT[lang]
    ad = launch_spark_ad(http, cli, FRANCE, caption=f"Galettes ({lang}, {width})")
    page = new_page(locale=LOCALE[lang], width=width, height=860 if width > 500 else 844)
    sign_in(page, reviewer_token, "/review")
    card = page.locator(f'[data-review-ad="{ad.ad_id}"]')
    expect(card).to_be_visible()
    fits(page, width)
    card.get_by_role("button", name=words["approve"]).click()
    expect(page.get_by_text(words["approved"])).to_be_visible()
    expect(page.locator(f'[data-review-ad="{ad.ad_id}"]')).to_have_count(0)
    status = http.get(
        "/open_api/v1.3/ad/review_info/",
        params={"advertiser_id": ad.advertiser_id, "ad_ids": json.dumps([ad.ad_id])},
        headers={"Access-Token": ad.advertiser_token},
    ).json()["data"]["ad_review_map"][ad.ad_id]
    assert status["is_approved"] is True


def test_a_creator_reads_the_takedown_and_appeals_on_a_phone_in_french(
    new_page: Callable[..., Any],
    http: httpx.Client,
    cli: Callable[..., dict[str, Any]],
    reviewer_token: str,
    ui: Any,
) -> None:
    ad = launch_spark_ad(http, cli, FRANCE, caption="Crêpes de marque (copie ?)")
    operator = cli("operators", "create", "--name", "Sam")["access_token"]
    taken = http.post(
        f"/api/v1/operator/posts/{ad.item_id}/takedown",
        json={"reason": "contrefaçon"},
        headers={"Authorization": f"Bearer {operator}"},
    )
    assert taken.status_code == 200, taken.text
    creator_token = ad.creator_bearer["Authorization"].removeprefix("Bearer ")
    page = new_page(locale="fr-FR", width=390, height=844)
    sign_in(page, creator_token, "/studio")
    page.goto(f"/studio/posts/{ad.item_id}")
    panel = page.locator("[data-takedown]")
    expect(panel).to_contain_text("Cette publication a été retirée car non conforme")
    expect(panel).to_contain_text("Motif : contrefaçon")
    page.get_by_label("En quoi cette publication respecte-t-elle les règles ?").fill(
        "Ce sont mes crêpes, ma recette."
    )
    page.get_by_role("button", name="Contester le retrait").click()
    expect(page.locator('[data-appeal-status="PENDING"]')).to_be_visible()
    fits(page, 390)
    ui.screenshot(page, "studio-takedown-appeal-390-fr", full_page=True)

    desk = new_page(width=1280)
    sign_in(desk, reviewer_token, "/review")
    appeal = desk.locator(f'[data-appeal="{ad.item_id}"]')
    expect(appeal).to_contain_text("Ce sont mes crêpes, ma recette.")
    ui.screenshot(desk, "review-appeal-1280-en")
    appeal.get_by_role("button", name="Reinstate the post").click()
    expect(desk.get_by_text("Reinstated: the post is back")).to_be_visible()
