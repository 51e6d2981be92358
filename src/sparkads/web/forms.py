"""Forms sent to the web app: the CSRF token checked, the role allowed to write, typed getters,
uploaded files, and money amounts typed the way people type them."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from sparkads.errors import SparkadsError
from sparkads.i18n import N_, LocalText
from sparkads.web.session import WebDep

CSRF_FIELD = "csrf_token"
# Forms an analyst (read-only role) may still send: they change nothing but the session, or
# (an app's authorization) hand on no more than the analyst's own read-only role.
WEB_READ_ONLY_FORMS = frozenset(
    {"/signout", "/signin", "/signin/demo", "/signin/password", "/portal/auth"}
)


class Form:
    """A submitted form whose CSRF token was checked, with typed getters."""

    def __init__(
        self, items: list[tuple[str, str]], files: dict[str, tuple[str, bytes]] | None = None
    ) -> None:
        self._items = items
        self._files = files or {}

    def file(self, name: str) -> tuple[str, bytes] | None:
        """An uploaded file (name, content) of a multipart form, or None when none was chosen."""
        return self._files.get(name)

    def get(self, name: str, default: str = "") -> str:
        for key, value in self._items:
            if key == name:
                return value.strip()
        return default

    def raw(self, name: str) -> str:
        """A value as typed, spaces kept (passwords)."""
        return next((value for key, value in self._items if key == name), "")

    def getlist(self, name: str) -> list[str]:
        return [value.strip() for key, value in self._items if key == name and value.strip()]

    def names(self) -> list[str]:
        return list(dict.fromkeys(key for key, _ in self._items))

    def values(self) -> dict[str, str]:
        return {key: value for key, value in self._items if key != CSRF_FIELD}


async def checked_form(request: Request, web: WebDep) -> Form:
    data = await request.form()
    items = [(key, value) for key, value in data.multi_items() if isinstance(value, str)]
    files: dict[str, tuple[str, bytes]] = {}
    for key, value in data.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read()
            await value.close()
            if key not in files and (value.filename or content):
                files[key] = (value.filename or "", content)
    form = Form(items, files)
    web.check_csrf(form.get(CSRF_FIELD))
    if (
        web.user is not None
        and not web.user.principal.may_write()
        and request.url.path not in WEB_READ_ONLY_FORMS
    ):
        raise SparkadsError(
            "role_not_allowed",
            role=web.user.principal.role.value,
            needed="the operator or admin role",
        )
    return form


FormDep = Annotated[Form, Depends(checked_form)]


def whole_number(text: str) -> int | None:
    """A whole number written in ASCII digits, else None: `str.isdigit()` also accepts "²",
    which `int()` refuses."""
    return int(text) if text.isascii() and text.isdigit() else None


def number_among(text: str, allowed: Collection[int], default: int) -> int:
    """The whole number `text` says if it is one of `allowed`, else `default`."""
    number = whole_number(text)
    return number if number is not None and number in allowed else default


def form_amount(raw: str, field: str | LocalText) -> Decimal | None:
    """A money amount typed in a form (comma or point, spaces allowed, no-break ones too, as in
    "1\u202f234,50"), None when left empty."""
    text = "".join(raw.split()).replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        detail = LocalText(N_("“{value}” is not a number"), {"value": raw})
        raise SparkadsError("invalid_parameter", field=field, detail=detail)
    return value
