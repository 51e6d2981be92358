"""Each R15 error, produced by its real cause, shown where the advertiser pastes the code: the
message, its cause and its solution, in English and, after the language switch, in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
HEADLINES = {
    "video_unavailable": (
        "The post is no longer available.",
        "La publication n'est plus disponible.",
    ),
    "auth_code_expired": (
        "The authorization code has expired.",
        "Le code d'autorisation a expiré.",
    ),
    "not_public_video": ("The post is not public.", "La publication n'est pas publique."),
    "carousel_duet_not_supported": (
        "Carousel duets cannot be used as Spark ads.",
        "Les duos en carrousel ne peuvent pas être utilisés comme Spark Ads.",
    ),
    "auth_code_format_error": (
        "The authorization code is not in the right format.",
        "Le code d'autorisation n'est pas au bon format.",
    ),
}
IMAGES = [
    {"url": "https://cdn.example.com/look-1.jpg"},
    {"url": "https://cdn.example.com/look-2.jpg"},
]


class Creator:
    def __init__(self, http, token):
        self.http, self.headers = http, {"Authorization": f"Bearer {token}"}

    def publish(self, **fields):
        body = {"caption": "a post", "duration": 12, "visibility": "PUBLIC", **fields}
        if body.get("item_type") == "CAROUSEL":
            body.pop("duration")
        answer = self.http.post("/api/v1/posts", json=body, headers=self.headers)
        assert answer.status_code == 201, answer.text
        return answer.json()["item_id"]

    def code(self, item_id, days=30):
        answer = self.http.post(
            f"/api/v1/posts/{item_id}/authorizations",
            json={"duration_days": days},
            headers=self.headers,
        )
        assert answer.status_code == 201, answer.text
        return answer.json()["auth_code"]


def _deleted(creator, http, operator):
    item_id = creator.publish(caption="Soon gone")
    code = creator.code(item_id)
    assert http.delete(f"/api/v1/posts/{item_id}", headers=creator.headers).status_code == 204
    return code


def _expired(creator, http, operator):
    code = creator.code(creator.publish(caption="One week only"), days=7)
    moved = http.post("/api/v1/sandbox/clock/advance", json={"days": 8}, headers=operator)
    assert moved.status_code == 200
    return code


def _private(creator, http, operator):
    return creator.code(creator.publish(caption="Just for me", visibility="PRIVATE"))


def _carousel_duet(creator, http, operator):
    original = creator.publish(caption="Spring looks", item_type="CAROUSEL", images=IMAGES)
    duet = creator.publish(
        caption="Duet", item_type="CAROUSEL", format="CAROUSEL_DUET", original_item_id=original,
        images=IMAGES,
    )  # fmt: skip
    return creator.code(duet)


def _mistyped(creator, http, operator):
    code = creator.code(creator.publish(caption="Typo incoming"))
    replacement = next(ch for ch in CODE_ALPHABET if ch != code[10])
    return code[:10] + replacement + code[11:]


CAUSES = {
    "video_unavailable": _deleted,
    "auth_code_expired": _expired,
    "not_public_video": _private,
    "carousel_duet_not_supported": _carousel_duet,
    "auth_code_format_error": _mistyped,
}


@pytest.mark.parametrize("reason", sorted(CAUSES))
def test_pasted_code_shows_its_r15_error_with_cause_and_solution(
    reason, new_page, make_accounts, http, operator_headers, ui
):
    creator_account, advertiser = make_accounts("creator", "advertiser")
    code = CAUSES[reason](Creator(http, creator_account.token), http, operator_headers)
    page = new_page()
    ui.sign_in(page, advertiser.token)
    page.goto("/ads/library")
    page.get_by_label("Spark code").fill(code)
    page.get_by_role("button", name="Validate").click()

    error = page.locator(f"[data-error-code={reason}]")
    expect(error).to_be_visible()
    expect(error.get_by_role("heading")).to_have_text(HEADLINES[reason][0])
    expect(error.locator(".cause")).not_to_be_empty()
    expect(error.locator(".solution")).not_to_be_empty()
    expect(page.get_by_label("Spark code")).to_have_value(code)
    english_solution = error.locator(".solution").inner_text()
    if reason == "not_public_video":
        ui.screenshot(page, "spark-code-error")

    page.get_by_role("link", name="FR Français").click()
    page.get_by_label("Code Spark").fill(code)
    page.get_by_role("button", name="Valider").click()
    french = page.locator(f"[data-error-code={reason}]")
    expect(french.get_by_role("heading")).to_have_text(HEADLINES[reason][1])
    expect(french.locator(".solution")).not_to_be_empty()
    expect(french.locator(".solution")).not_to_have_text(english_solution)
