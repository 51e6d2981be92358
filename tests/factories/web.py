"""The web app through a plain HTTP client, as a browser without JavaScript uses it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def sign_in(client: TestClient, token: str) -> None:
    """Sign in with an access token, as the sign-in page does (whoever was signed in before)."""
    client.cookies.clear()
    csrf = csrf_of(client.get("/signin").text)
    response = client.post("/signin", data={"token": token, "csrf_token": csrf})
    assert response.status_code == 200, response.text


WizardFields = dict[str, str | list[str]]


def wizard_step(client: TestClient, page: str, fields: WizardFields) -> str:
    """Submit the campaign wizard's form as a browser would: its hidden state plus the step's
    fields; the page the POST-redirect-GET opens."""
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page):
        data.setdefault(name, []).append(value)
    for name, value in fields.items():
        data[name] = value if isinstance(value, list) else [value]
    response = client.post("/ads/campaigns/new", data=data)
    assert response.status_code == 200, response.text
    assert [r.status_code for r in response.history] == [303]  # POST-redirect-GET
    return response.text
