"""Values that errors show in the reader's language (a post's visibility, an access request's
status, why a string is not a Spark code, the kind of unknown ids) are catalogue msgids
(`i18n.LocalText`), no longer passed twice as `name` and `name_fr`: each renders exactly as it did
in English and in French (the texts below were rendered by the code before the change)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from sparkads.authorizations import codes
from sparkads.authorizations.access import _require_status
from sparkads.authorizations.models import AccessRequest, AccessStatus
from sparkads.authorizations.spark_codes import resolve_code
from sparkads.errors import SparkadsError
from sparkads.i18n import LocalText, translate
from sparkads.marketplace.viewers import location_mask
from sparkads.posts.rules import PostFacts, spark_blocker

CUT = (
    "The code was mistyped or cut when copied: ",
    "Le code a été mal saisi ou tronqué lors de la copie : ",
)


def _cause(error: SparkadsError) -> tuple[str, str]:
    return error.render("en")["cause"], error.render("fr")["cause"]


@pytest.mark.parametrize(
    ("visibility", "en", "fr"),
    [("FRIENDS", "visible to friends only", "visible par les amis uniquement"),
     ("PRIVATE", "private", "privée")],
)  # fmt: skip
def test_a_posts_visibility_in_not_public_video(visibility: str, en: str, fr: str) -> None:
    blocker = spark_blocker(PostFacts("ACTIVE", "STANDARD", visibility, ads_only=False))
    assert blocker is not None
    assert _cause(SparkadsError(blocker[0], **blocker[1])) == (
        f"Only public posts, or posts published for ads only, can be sponsored; this one is {en}.",
        "Seules les publications publiques, ou publiées uniquement pour la publicité, peuvent "
        f"être sponsorisées ; celle-ci est {fr}.",
    )


def _valid_code() -> str:
    return codes._seal("0" * codes.RANDOM_CHARS)


@pytest.mark.parametrize(
    ("raw", "en", "fr"),
    [
        ("XYZ123", "a Spark code starts with SPK.", "un code Spark commence par SPK."),
        ("SPK123", "a Spark code has 32 characters, this one has 6.",
         "un code Spark compte 32 caractères, celui-ci en a 6."),
        ("SPK" + "I" * 29, "character 'I' at position 4 cannot appear in a code.",
         "le caractère 'I' en position 4 ne peut pas figurer dans un code."),
        (None, "the checksum does not match, a character is wrong.",
         "la somme de contrôle ne correspond pas, un caractère est erroné."),
    ],
)  # fmt: skip
def test_why_a_string_is_not_a_spark_code(raw: str | None, en: str, fr: str) -> None:
    if raw is None:  # a valid code with its last (digest) character changed
        valid = _valid_code()
        raw = valid[:-1] + ("1" if valid[-1] == "0" else "0")
    with pytest.raises(SparkadsError) as caught:
        resolve_code(None, raw)  # type: ignore[arg-type]  # the format is checked before any lookup
    assert caught.value.code == "auth_code_format_error"
    assert _cause(caught.value) == (CUT[0] + en, CUT[1] + fr)


@pytest.mark.parametrize(
    ("status", "en", "fr"),
    [("ACCEPTED", "accepted", "acceptée"), ("REJECTED", "rejected", "refusée"),
     ("ENDED", "ended", "terminée")],
)  # fmt: skip
def test_an_access_requests_status_in_access_request_closed(status: str, en: str, fr: str) -> None:
    with pytest.raises(SparkadsError) as caught:
        _require_status(AccessRequest(status=status), AccessStatus.PENDING)
    assert (caught.value.render("en")["message"], caught.value.render("fr")["message"]) == (
        f"This access request is already {en}.",
        f"Cette demande d'accès est déjà {fr}.",
    )


def test_a_pending_request_cannot_be_ended() -> None:
    with pytest.raises(SparkadsError) as caught:
        _require_status(AccessRequest(status="PENDING"), AccessStatus.ACCEPTED)
    assert caught.value.render("fr")["message"] == "Cette demande d'accès est déjà en attente."


def test_unknown_lookalike_locations() -> None:
    nobody: Any = SimpleNamespace(size=0)
    with pytest.raises(SparkadsError) as caught:
        location_mask(nobody, ["9"])
    assert (caught.value.render("en")["message"], caught.value.render("fr")["message"]) == (
        "Unknown locations in lookalike_spec.location_ids: 9.",
        "Lieux inconnu(s) dans lookalike_spec.location_ids : 9.",
    )


def test_a_local_text_without_french_falls_back_to_english() -> None:
    text = LocalText("not in the catalogue {n}", {"n": 3})
    assert (str(text), text.render("fr")) == ("not in the catalogue 3", "not in the catalogue 3")
    assert translate("fr", "private") == "privée"


def test_a_restored_text_missing_a_parameter_shows_as_written() -> None:
    """A text restored from an older draft or cookie may lack one of its parameters: the page
    shows the text with its placeholder rather than failing."""
    from sparkads.i18n import restored_params

    saved = {"detail": {"$text": "a whole number from 1 to {most}", "$params": {}}}
    detail = restored_params(saved)["detail"]
    assert isinstance(detail, LocalText)
    assert detail.render("en") == "a whole number from 1 to {most}"
    assert detail.render("fr") == translate("fr", "a whole number from 1 to {most}")
    assert LocalText("{count} day", plural="{count} days", count=2).render("en") == "{count} days"
