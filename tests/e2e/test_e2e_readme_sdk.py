"""The README's snippet for the official TikTok SDK runs as written against a real server: the
```python block under "The official TikTok SDK", with the server's URL, an ad account's id and
token, lists the campaign the account has."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parents[2] / "README.md"
DOCUMENTED_HOST = '"http://127.0.0.1:8000"'


def _snippet() -> str:
    section = README.read_text(encoding="utf-8").split("## The official TikTok SDK", 1)[1]
    found = re.search(r"```python\n(.*?)```", section.split("\n## ", 1)[0], re.DOTALL)
    assert found, "the README's SDK section has no python block"
    code = found.group(1)
    assert DOCUMENTED_HOST in code
    return code


def test_the_readme_sdk_snippet_lists_the_accounts_campaigns(
    server: Any, make_advertiser: Callable[..., Any]
) -> None:
    brand = make_advertiser()
    created = brand.post(
        "/campaign/create/",
        campaign_name="Printemps",
        objective_type="TRAFFIC",
        budget_mode="BUDGET_MODE_DAY",
        budget=500,
    )
    assert created["code"] == 0, created
    code = _snippet().replace(DOCUMENTED_HOST, repr(server.base_url))
    printed = io.StringIO()
    scope = {"advertiser_id": brand.advertiser_id, "access_token": brand.token}
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md", "exec"), scope)  # the README's own snippet
    scope["client"].pool.close()
    scope["client"].pool.join()
    assert printed.getvalue().strip() == "['Printemps']"
