"""Errors of audiences. Audiences: customer files, engagement rules.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "audience_not_found",
    Family.INVALID,
    40002,
    N_("Unknown audience in {field}: {ids}."),
    N_("These audiences do not exist in this ad account."),
    N_("Use the ids of audiences created in this ad account."),
)

declare(
    "audience_file_invalid",
    Family.INVALID,
    40002,
    N_("The audience file cannot be used: {detail}."),
    N_(
        "A customer file holds SHA-256 hashed identifiers: 64 hexadecimal digits, one per line or per CSV cell, in UTF-8 text."
    ),
    N_(
        "Hash each identifier with SHA-256 after trimming and lower-casing it, write one hash per line, then upload the file again."
    ),
)

declare(
    "audience_file_not_found",
    Family.NOT_FOUND,
    40007,
    N_("Unknown audience file: {file_paths}."),
    N_("No file was uploaded to this ad account under this path."),
    N_("Upload the file with dmp/custom_audience/file/upload/ and use the file_path it returns."),
)

declare(
    "calculate_type_not_supported",
    Family.INVALID,
    40002,
    N_("calculate_type {calculate_type} is not supported."),
    N_(
        "sparkads matches viewers by the SHA-256 of their identifier only; MD5 hashes would match nobody."
    ),
    N_("Hash the identifiers with SHA-256 and use a *_SHA256 calculate_type (e.g. EMAIL_SHA256)."),
)

declare(
    "engagement_rule_invalid",
    Family.INVALID,
    40002,
    N_("The engagement rule is invalid: {detail}."),
    N_(
        "An engagement audience counts events (PLAY 6S, CLICK, BUSINESS ACCOUNT ENGAGEMENT, LIKE, COMMENT, SHARE, FOLLOW...) on this ad account's ad groups or posts."
    ),
    N_(
        "Name supported events and ids of this ad account's ad groups (ENGAGEMENT) or posts (ENGAGEMENT_ORGANIC_VIDEO)."
    ),
)
