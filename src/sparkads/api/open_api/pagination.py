from __future__ import annotations

from math import ceil


def page_info(page: int, page_size: int, total: int) -> dict[str, int]:
    return {
        "page": page,
        "page_size": page_size,
        "total_number": total,
        "total_page": ceil(total / page_size) if total else 0,
    }


def offset(page: int, page_size: int) -> int:
    return (page - 1) * page_size
