from __future__ import annotations

import pytest

from sparkads.delivery.compile import geography
from sparkads.delivery.targeting import Geography


@pytest.fixture(scope="session")
def geo() -> Geography:
    return geography()
