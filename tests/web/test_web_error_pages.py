"""Unknown web addresses answer an HTML page in the reader's language; API paths keep JSON."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape


@pytest.mark.parametrize(
    ("language", "heading", "home"),
    [("en", "There is no page at /no/such/page.", "Home"),
     ("fr", "Il n'y a pas de page à l'adresse /no/such/page.", "Accueil")],
)  # fmt: skip
def test_unknown_page_is_an_html_page_in_the_readers_language(
    client: TestClient, language: str, heading: str, home: str
) -> None:
    response = client.get("/no/such/page", headers={"Accept-Language": language})

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert f'<html lang="{language}">' in response.text
    assert escape(heading) in response.text
    assert 'data-error-code="page_not_found"' in response.text
    assert f'<a href="/">{home}</a>' in response.text
    assert "javascript:" not in response.text  # the pages' CSP would block it


def test_a_form_posted_to_an_unknown_web_address_gets_the_html_page(client: TestClient) -> None:
    response = client.post("/studio/nowhere", data={"x": "1"})

    assert response.status_code == 404
    assert "page_not_found" in response.text
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/open_api/v1.3/nowhere/"])
def test_api_paths_keep_their_json_errors(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert "route_not_found" in response.text or response.json()["code"] == 40400
