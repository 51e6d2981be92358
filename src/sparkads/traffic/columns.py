"""Viewers as NumPy columns: made from engine viewers (`encode`) or from stored rows a column at a
time (`encode_stored`), and turned back into one `Viewer` for the engine.

Categorical attributes hold small integer codes into vocabularies drawn from the catalogue
(`vocabulary.py`), -1 meaning unknown ("none"); region code 0 is "no region". Targeting over
all of them at once is `matching.py`. Profiles (`store.py`), the traffic log replayed by
forecasts, and the sandbox's synthetic population are all `ViewerColumns`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sparkads.delivery.model import Behaviour, Viewer
from sparkads.delivery.targeting import Geography
from sparkads.traffic.matching import evaluate
from sparkads.traffic.vocabulary import BEHAVIOURS as BEHAVIOURS
from sparkads.traffic.vocabulary import GENDERS as GENDERS
from sparkads.traffic.vocabulary import MAX_BEHAVIOURS as MAX_BEHAVIOURS
from sparkads.traffic.vocabulary import MAX_INTERESTS as MAX_INTERESTS
from sparkads.traffic.vocabulary import NETWORKS as NETWORKS
from sparkads.traffic.vocabulary import OPERATING_SYSTEMS as OPERATING_SYSTEMS
from sparkads.traffic.vocabulary import Vocabulary as Vocabulary
from sparkads.traffic.vocabulary import vocabulary as vocabulary

Codes = NDArray[np.int16]
Small = NDArray[np.int8]


@dataclass(frozen=True, eq=False)
class ViewerColumns:
    """Viewers as columns; `viewer(i, viewer_id)` assembles one `Viewer` for the engine."""

    countries: tuple[str, ...]
    regions: tuple[tuple[str, str], ...]
    languages: tuple[str, ...]
    interest_ids: tuple[str, ...]
    interest_top: NDArray[np.int16]
    country: Codes
    region: Codes
    language: Codes
    age: Small
    gender: Small
    os: Small
    os_version: Small  # (n, 2): major, minor
    network: Small
    device_price: NDArray[np.int32]
    interests: Codes  # (n, width), strongest first, -1 padded
    behaviour_action: Small  # (n, width) codes into BEHAVIOURS, -1 for none
    behaviour_category: Codes  # (n, width) interest codes, -1 for none
    behaviour_days: NDArray[np.int16]  # (n, width) days ago

    @property
    def size(self) -> int:
        return int(self.country.shape[0])

    def __len__(self) -> int:
        return self.size

    def country_of(self, i: int) -> str | None:
        code = int(self.country[i])
        return self.countries[code] if code >= 0 else None

    def interests_of(self, i: int) -> tuple[str, ...]:
        return tuple(self.interest_ids[c] for c in self.interests[i] if c >= 0)

    def viewer(self, i: int, viewer_id: str) -> Viewer:
        country = self.country_of(i) or ""
        region = self.regions[self.region[i]][1] if self.region[i] > 0 else None
        age, gender, os_code = int(self.age[i]), int(self.gender[i]), int(self.os[i])
        language, network, price = int(self.language[i]), int(self.network[i]), self.device_price[i]
        return Viewer(
            viewer_id=viewer_id,
            country=country,
            region=region or None,
            age=age if age >= 0 else None,
            gender=GENDERS[gender] if gender >= 0 else None,
            language=self.languages[language] if language >= 0 else None,
            os=OPERATING_SYSTEMS[os_code] if os_code >= 0 else None,
            os_version=(int(self.os_version[i, 0]), int(self.os_version[i, 1]))
            if os_code >= 0
            else (),
            network=NETWORKS[network] if network >= 0 else None,
            device_price=int(price) if price >= 0 else None,
            interests=self.interests_of(i),
            behaviours=tuple(
                Behaviour(*BEHAVIOURS[int(a)], self.interest_ids[int(c)], int(d))
                for a, c, d in zip(
                    self.behaviour_action[i],
                    self.behaviour_category[i],
                    self.behaviour_days[i],
                    strict=True,
                )
                if a >= 0 and c >= 0
            ),
        )

    def matching(self, targeting: Mapping[str, Any], geo: Geography) -> NDArray[np.bool_]:
        """Which viewers an ad group's targeting accepts: `delivery.targeting.matches` plus the
        engine's OS-version and device-price checks. Audiences are checked by the caller."""
        return evaluate(self, targeting, geo)

    def count_matching(self, targeting: Mapping[str, Any], geo: Geography) -> int:
        return int(self.matching(targeting, geo).sum())

    def part(self, start: int, stop: int) -> ViewerColumns:
        """Rows start to stop (views, no copy)."""
        return ViewerColumns(
            self.countries, self.regions, self.languages, self.interest_ids, self.interest_top,
            *(getattr(self, name)[start:stop] for name in PER_VIEWER),
        )  # fmt: skip

    def take(self, rows: NDArray[np.intp]) -> ViewerColumns:
        """The same columns for these rows only."""
        return ViewerColumns(
            self.countries, self.regions, self.languages, self.interest_ids, self.interest_top,
            *(getattr(self, name)[rows] for name in PER_VIEWER),
        )  # fmt: skip


PER_VIEWER = (
    "country", "region", "language", "age", "gender", "os", "os_version", "network",
    "device_price", "interests", "behaviour_action", "behaviour_category", "behaviour_days",
)  # fmt: skip


def _code(table: Sequence[str], value: str | None) -> int:
    if value is None:
        return -1
    try:
        return table.index(value)
    except ValueError:
        return -1


def encode(viewers: Sequence[Viewer]) -> ViewerColumns:
    """Columns of these viewers (values outside the catalogue become unknown)."""
    vocab, n = vocabulary(), len(viewers)
    country = np.full(n, -1, np.int16)
    region = np.zeros(n, np.int16)
    language = np.full(n, -1, np.int16)
    age, gender, os, network = (np.full(n, -1, np.int8) for _ in range(4))
    os_version = np.zeros((n, 2), np.int8)
    price = np.full(n, -1, np.int32)
    interests = np.full((n, MAX_INTERESTS), -1, np.int16)
    action = np.full((n, MAX_BEHAVIOURS), -1, np.int8)
    category = np.full((n, MAX_BEHAVIOURS), -1, np.int16)
    days = np.zeros((n, MAX_BEHAVIOURS), np.int16)
    for i, v in enumerate(viewers):
        country[i] = vocab.country_code.get(v.country, -1)
        if v.region:
            region[i] = vocab.region_code.get((v.country, v.region), 0)
        language[i] = vocab.language_code.get(v.language or "", -1)
        if v.age is not None:
            age[i] = min(max(v.age, 0), 127)
        gender[i], os[i] = _code(GENDERS, v.gender), _code(OPERATING_SYSTEMS, v.os)
        network[i] = _code(NETWORKS, v.network)
        if v.os_version:
            os_version[i, 0] = min(v.os_version[0], 127)
            os_version[i, 1] = min(v.os_version[1], 127) if len(v.os_version) > 1 else 0
        if v.device_price is not None:
            price[i] = v.device_price
        codes = [vocab.interest_code[x] for x in v.interests if x in vocab.interest_code]
        codes = list(dict.fromkeys(codes))[:MAX_INTERESTS]
        interests[i, : len(codes)] = codes
        kept = [
            (BEHAVIOURS.index((b.action_scene, b.action)), vocab.interest_code[b.category_id], b)
            for b in v.behaviours
            if (b.action_scene, b.action) in BEHAVIOURS and b.category_id in vocab.interest_code
        ][:MAX_BEHAVIOURS]
        for j, (a, c, b) in enumerate(kept):
            action[i, j], category[i, j], days[i, j] = a, c, min(b.days_ago, 32_000)
    return ViewerColumns(
        vocab.countries, vocab.regions, vocab.languages, vocab.interest_ids, vocab.interest_top,
        country, region, language, age, gender, os, os_version, network, price, interests,
        action, category, days,
    )  # fmt: skip


def _codes_of(values: Sequence[Any], table: Mapping[Any, int], missing: int) -> NDArray[Any]:
    return np.array([table.get(v, missing) for v in values], np.int32)


@cache
def _small_tables() -> tuple[dict[str | None, int], ...]:
    return tuple(
        {value: code for code, value in enumerate(names)}
        for names in (GENDERS, OPERATING_SYSTEMS, NETWORKS)
    )


def _parsed(
    values: Sequence[str | None],
    shape: tuple[int, ...],
    dtype: Any,
    blank: int,
    parse: Callable[[str], Sequence[Any]],
) -> NDArray[Any]:
    """Rows of `parse(value)` (left-aligned, `blank` padded), parsing each distinct value once."""
    position: dict[str | None, int] = {None: 0, "": 0}
    inverse = np.array([position.setdefault(v, len(position) - 1) for v in values], np.intp)
    table = np.full((len(position) - 1, *shape), blank, dtype)
    for value, row in position.items():
        if value:
            parsed = np.asarray(parse(value), dtype)
            if parsed.size:
                table[row][tuple(slice(0, k) for k in parsed.shape)] = parsed
    return np.asarray(table[inverse])


def _version(value: str) -> tuple[int, int]:
    parts = [min(int(p), 127) for p in value.split(".")] + [0]
    return parts[0], parts[1]


def _interest_codes(value: str) -> list[int]:
    codes = vocabulary().interest_code
    return list(dict.fromkeys(codes[x] for x in value.split(",") if x in codes))[:MAX_INTERESTS]


_BEHAVIOUR_OF = {b: i for i, b in enumerate(BEHAVIOURS)}


def _behaviour_codes(value: str) -> list[list[int]]:
    """[[actions…], [categories…], [days…]] of the behaviours kept."""
    codes, kept = vocabulary().interest_code, []
    for part in value.split(";"):
        scene, act, category, ago = part.split(":")
        if (scene, act) in _BEHAVIOUR_OF and category in codes:
            kept.append((_BEHAVIOUR_OF[scene, act], codes[category], min(int(ago), 32_000)))
    kept = kept[:MAX_BEHAVIOURS]
    return [list(column) for column in zip(*kept, strict=True)] if kept else []


def encode_stored(rows: Sequence[Sequence[Any]]) -> ViewerColumns:
    """Columns of viewers as the traffic tables store them (`traffic.attributes.ATTRIBUTES` order:
    country, region, language, age, gender, os, "major.minor", network, device price,
    "interest,…", "scene:action:category:days;…"), a column at a time: reading a million logged
    requests costs seconds, not the minute that making a `Viewer` of each would."""
    vocab, n = vocabulary(), len(rows)
    if not n:
        return empty()
    cols = list(zip(*rows, strict=True))
    country = _codes_of(cols[0], vocab.country_code, -1).astype(np.int16)
    region = np.array(
        [
            vocab.region_code.get((c, r), 0) if r else 0
            for c, r in zip(cols[0], cols[1], strict=True)
        ],
        np.int16,
    )
    language = _codes_of(cols[2], vocab.language_code, -1).astype(np.int16)
    age = np.array([-1 if a is None else min(max(a, 0), 127) for a in cols[3]], np.int8)
    genders, systems, networks = _small_tables()
    gender = _codes_of(cols[4], genders, -1).astype(np.int8)
    os = _codes_of(cols[5], systems, -1).astype(np.int8)
    network = _codes_of(cols[7], networks, -1).astype(np.int8)
    price = np.array([-1 if p is None else p for p in cols[8]], np.int32)
    # the same strings recur (a viewer asks many times): each distinct one is parsed once, into
    # a table the rows then index
    os_version = _parsed(cols[6], (2,), np.int8, 0, _version)
    interests = _parsed(cols[9], (MAX_INTERESTS,), np.int16, -1, _interest_codes)
    kept = _parsed(cols[10], (3, MAX_BEHAVIOURS), np.int16, -1, _behaviour_codes)
    action, category = kept[:, 0].astype(np.int8), kept[:, 1].copy()
    days = np.where(kept[:, 2] < 0, 0, kept[:, 2]).astype(np.int16)
    return ViewerColumns(
        vocab.countries, vocab.regions, vocab.languages, vocab.interest_ids, vocab.interest_top,
        country, region, language, age, gender, os, os_version, network, price, interests,
        action, category, days,
    )  # fmt: skip


def empty() -> ViewerColumns:
    return encode([])


def concat(parts: Sequence[ViewerColumns]) -> ViewerColumns:
    if not parts:
        return empty()
    first = parts[0]
    return ViewerColumns(
        first.countries, first.regions, first.languages, first.interest_ids, first.interest_top,
        *(np.concatenate([getattr(p, name) for p in parts]) for name in PER_VIEWER),
    )  # fmt: skip
