"""The package's files (/static/*, Swagger UI's /docs/assets/*): a fingerprint ETag and a cache
lifetime, 304 when the browser sends that ETag back, 404 for anything else."""

from __future__ import annotations

import hashlib
from importlib.resources import files

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("path", "media_type", "max_age"),
    [
        ("/static/app.css", "text/css; charset=utf-8", 300),
        ("/static/app.js", "text/javascript; charset=utf-8", 300),
        ("/static/favicon.svg", "image/svg+xml", 300),
        ("/docs/assets/swagger-ui.css", "text/css; charset=utf-8", 3600),
        ("/docs/assets/swagger-ui-bundle.js", "text/javascript; charset=utf-8", 3600),
    ],
)
def test_assets_are_fingerprinted_and_cached(
    client: TestClient, path: str, media_type: str, max_age: int
) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["content-type"] == media_type
    assert first.headers["cache-control"] == f"public, max-age={max_age}"
    etag = f'"{hashlib.sha256(first.content).hexdigest()[:16]}"'
    assert first.headers["etag"] == etag
    if path.startswith("/static/"):
        name = path.removeprefix("/static/")
        assert first.content == (files("sparkads.web") / "static" / name).read_bytes()

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert (again.headers["etag"], again.headers["cache-control"]) == (
        etag,
        f"public, max-age={max_age}",
    )
    stale = client.get(path, headers={"If-None-Match": '"0000000000000000"'})
    assert (stale.status_code, stale.content) == (200, first.content)


@pytest.mark.parametrize(
    "path",
    ["/static/missing.css", "/static/.hidden.css", "/static/app.txt", "/docs/assets/other.js"],
)
def test_other_names_are_not_found(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert (answer.status_code, answer.text) == (404, "Not found")
    assert answer.headers["content-type"].startswith("text/plain")


def test_a_name_too_long_for_the_file_system_is_not_found(client: TestClient) -> None:
    """Names are looked up among the package's files, never on the file system: a name longer
    than a file name may be was a 500 (OSError: File name too long)."""
    answer = client.get("/static/" + "a" * 5000 + ".css")
    assert (answer.status_code, answer.text) == (404, "Not found")


@pytest.mark.parametrize("path", ["/static/app.css", "/docs/assets/swagger-ui.css"])
@pytest.mark.parametrize(
    "if_none_match",
    ['"zzz", "{etag}"', '"{etag}","zzz"', 'W/"{etag}"', '"zzz", W/"{etag}"', "*"],
)
def test_if_none_match_is_a_list_compared_weakly(
    client: TestClient, path: str, if_none_match: str
) -> None:
    """RFC 9110 §13.1.2: If-None-Match is `*` or a list of tags, compared weakly; each of these
    was a 200 with the whole file."""
    etag = client.get(path).headers["etag"].strip('"')
    again = client.get(path, headers={"If-None-Match": if_none_match.format(etag=etag)})
    assert (again.status_code, again.content) == (304, b"")


@pytest.mark.parametrize("if_none_match", ['"zzz", "0000000000000000"', 'W/"zzz"', ""])
def test_other_tags_get_the_file(client: TestClient, if_none_match: str) -> None:
    answer = client.get("/static/app.css", headers={"If-None-Match": if_none_match})
    assert answer.status_code == 200
    assert answer.content == (files("sparkads.web") / "static" / "app.css").read_bytes()


@pytest.mark.parametrize("path", ["/static/app.css", "/docs/assets/swagger-ui.css"])
def test_head_answers_like_get_without_the_body(client: TestClient, path: str) -> None:
    """HEAD /static/app.css was a 404."""
    got = client.get(path)
    head = client.head(path)
    assert (head.status_code, head.content) == (200, b"")
    for name in ("etag", "cache-control", "content-type"):
        assert head.headers[name] == got.headers[name]
    assert head.headers["content-length"] == str(len(got.content))
    assert client.head("/static/missing.css").status_code == 404
