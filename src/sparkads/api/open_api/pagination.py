from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil
from typing import Protocol, TypeVar

T = TypeVar("T")


class Paging(Protocol):
    """What a paged request says: the page (from 1) and its size."""

    @property
    def page(self) -> int: ...

    @property
    def page_size(self) -> int: ...


def page_info(page: int, page_size: int, total: int) -> dict[str, int]:
    return {
        "page": page,
        "page_size": page_size,
        "total_number": total,
        "total_page": ceil(total / page_size) if total else 0,
    }


def offset(page: int, page_size: int) -> int:
    return (page - 1) * page_size


def _same(item: object) -> object:
    return item


def paged(
    key: str, items: Sequence[T], params: Paging, render: Callable[[T], object] = _same
) -> dict[str, object]:
    """`{key: [the page's items, rendered], "page_info": …}`, the v1.3 answer of a listing held
    whole in memory; only the page's items are rendered."""
    start = offset(params.page, params.page_size)
    return {
        key: [render(item) for item in items[start : start + params.page_size]],
        "page_info": page_info(params.page, params.page_size, len(items)),
    }
