"""The targeting catalogue: consistent data files and lookups ad group validation relies on."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sparkads.campaigns.catalog import catalog

MAIN_COUNTRIES = ("FR", "DE", "US", "GB", "ES", "IT", "CA", "BR")


def _rows(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(
        (files("sparkads.campaigns") / "data" / name).read_text(encoding="utf-8")
    )
    return rows


@pytest.mark.parametrize(
    ("name", "key"),
    [("locations.json", "location_id"), ("languages.json", "code"), ("interests.json", "id")],
)
def test_ids_are_unique_within_each_data_file(name: str, key: str) -> None:
    ids = [row[key] for row in _rows(name)]
    assert len(ids) == len(set(ids))


def test_country_codes_are_unique_iso_alpha2() -> None:
    codes = [c.country_code for c in catalog().locations(level="COUNTRY")]
    assert len(codes) == len(set(codes)) >= 40
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)


def test_country_ids_are_numeric_geonames_or_sparkads_ids() -> None:
    for country in catalog().locations(level="COUNTRY"):
        assert country.parent_id is None
        assert re.fullmatch(r"\d{5,8}", country.location_id), country


def test_france_is_listed_under_its_geonames_id() -> None:
    france = catalog().location("3017382")
    assert france is not None
    assert (france.name, france.level, france.country_code) == ("France", "COUNTRY", "FR")


def test_every_province_lies_in_a_country_of_the_same_code() -> None:
    book = catalog()
    for province in book.locations(level="PROVINCE"):
        assert province.parent_id is not None
        parent = book.location(province.parent_id)
        assert parent is not None, province
        assert parent.level == "COUNTRY"
        assert parent.country_code == province.country_code


def test_province_ids_are_parent_id_then_iso_3166_2_suffix() -> None:
    for province in catalog().locations(level="PROVINCE"):
        assert re.fullmatch(rf"{province.parent_id}-[A-Z0-9]{{1,3}}", province.location_id)


def test_main_countries_list_their_regions() -> None:
    book = catalog()
    for code in MAIN_COUNTRIES:
        assert len(book.locations(level="PROVINCE", country_code=code)) >= 4, code
    assert book.location("3017382-IDF") is not None
    assert len(book.locations(level="PROVINCE", country_code="US")) == 51


def test_country_code_of_a_province_is_its_country() -> None:
    assert catalog().country_code_of("6252001-CA") == "US"
    assert catalog().country_code_of("404") is None


def test_locations_filter_by_level_and_country_together() -> None:
    found = catalog().locations(level="COUNTRY", country_code="de")
    assert [loc.location_id for loc in found] == ["2921044"]


def test_languages_are_iso_639_1_codes() -> None:
    book = catalog()
    assert len(book.languages()) >= 30
    assert all(re.fullmatch(r"[a-z]{2}", lang.code) for lang in book.languages())
    assert book.is_language("fr")
    assert not book.is_language("xx")


def test_every_sub_category_has_a_top_level_parent() -> None:
    book = catalog()
    for sub in book.interests(level=2):
        assert sub.parent_id is not None
        parent = book.interest(sub.parent_id)
        assert parent is not None
        assert parent.level == 1
        assert re.fullmatch(rf"{parent.id}\d{{3}}", sub.id)


def test_top_level_categories_have_a_sector_and_three_to_six_subs() -> None:
    book = catalog()
    tops = book.interests(level=1)
    assert len(tops) >= 16
    for top in tops:
        assert re.fullmatch(r"\d{3}", top.id)
        assert top.sector
        assert 3 <= len(book.interests(parent_id=top.id)) <= 6, top.name
    sectors = [top.sector for top in tops]
    assert len(sectors) == len(set(sectors))


def test_interest_for_sector_fitness_is_sports_and_outdoors() -> None:
    found = catalog().interest_for_sector("fitness")
    assert found is not None
    assert found.name == "Sports & Outdoors"


def test_interest_for_sector_ignores_case_and_spaces() -> None:
    assert catalog().interest_for_sector("  Food ") == catalog().interest_for_sector("food")


def test_interest_for_sector_is_none_when_sector_unknown_or_empty() -> None:
    assert catalog().interest_for_sector("knitting") is None
    assert catalog().interest_for_sector("") is None


def test_unknown_lists_missing_ids_once_in_order_given() -> None:
    ids = ["3017382", "999", "3017382-IDF", "abc", "999"]
    assert catalog().unknown("location", ids) == ["999", "abc"]


def test_unknown_is_empty_when_all_ids_are_known() -> None:
    book = catalog()
    assert book.unknown("language", ["en", "fr"]) == []
    assert book.unknown("interest", ["103", "103001"]) == []


def test_unknown_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="catalogue kind"):
        catalog().unknown("audience", ["1"])


@given(st.lists(st.sampled_from(["en", "fr", "zz", "EN", "", "pt", "xx"])))
def test_unknown_languages_are_exactly_the_codes_not_listed(codes: list[str]) -> None:
    missing = catalog().unknown("language", codes)
    assert set(missing) == {c for c in codes if not catalog().is_language(c)}
    assert len(missing) == len(set(missing))


def test_catalog_is_loaded_once() -> None:
    assert catalog() is catalog()
