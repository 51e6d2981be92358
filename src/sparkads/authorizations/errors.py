"""Errors of authorizations. Spark authorization codes, identities and access requests.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "auth_code_expired",
    Family.INVALID,
    40110,
    N_("The authorization code has expired."),
    N_("The authorization window the creator chose ({duration_days} days) ended on {ended_at}."),
    N_(
        "Ask the creator to generate a new code, with a longer duration if the campaign runs longer."
    ),
)

declare(
    "auth_code_format_error",
    Family.INVALID,
    40002,
    N_("The authorization code is not in the right format."),
    N_("The code was mistyped or cut when copied: {detail}."),
    N_(
        "Copy the whole code again from the creator's message, without spaces or missing characters."
    ),
)

declare(
    "auth_code_not_found",
    Family.NOT_FOUND,
    40110,
    N_("No post is authorized with this code."),
    N_("The code is well formed but was never issued by a creator."),
    N_("Check that you copied the latest code the creator sent you."),
)

declare(
    "auth_code_revoked",
    Family.INVALID,
    40110,
    N_("The creator revoked this authorization code."),
    N_("The creator ended ad authorization for this post on {revoked_at}."),
    N_("Contact the creator and ask for a new code if you still want to sponsor the post."),
)

declare(
    "auth_code_not_applied",
    Family.NOT_FOUND,
    40007,
    N_("This code has not been applied to your ad account."),
    N_("Post details are shown once a code is added to the creative library."),
    N_("Apply the code with tt_video/authorize first."),
)

declare(
    "original_post_auth_required",
    Family.INVALID,
    40002,
    N_("This {format} needs the original post's authorization code too."),
    N_("Duets and stitches include another creator's post, which must be authorized as well."),
    N_("Ask the original post's creator for a code and send it as {field}."),
)

declare(
    "original_post_mismatch",
    Family.INVALID,
    40002,
    N_("{field} does not authorize the post this {format} was made from."),
    N_(
        "The second code belongs to post {given_item_id}, not to the original post {expected_item_id}."
    ),
    N_("Ask for a code on the original post {expected_item_id}."),
)

declare(
    "original_post_auth_not_needed",
    Family.INVALID,
    40002,
    N_("{field} is only for duets and stitches."),
    N_("The authorized post is a {format}, which includes no other post."),
    N_("Leave {field} empty: send only the post's own code."),
)

declare(
    "invalid_authorization_duration",
    Family.INVALID,
    40002,
    N_("Authorization can last 7, 30, 60 or 365 days, not {duration_days}."),
    N_("Spark codes are only issued for these durations."),
    N_("Choose 7, 30, 60 or 365 days."),
)

declare(
    "too_many_failed_attempts",
    Family.RATE_LIMITED,
    40100,
    N_("Too many invalid authorization codes; try again in {retry_after} seconds."),
    N_("{failures} codes from this ad account were rejected in the last {window} seconds."),
    N_("Wait, then paste codes exactly as the creators sent them."),
)

declare(
    "authorization_not_found",
    Family.NOT_FOUND,
    40007,
    N_("No such authorization."),
    N_("No authorization of yours matches {ref}."),
    N_("List your authorizations to find the right one."),
)

declare(
    "identity_not_found",
    Family.NOT_FOUND,
    40007,
    N_("Identity {identity_id} does not exist for this ad account."),
    N_("The identity is not one of this ad account's, or not of the type given ({identity_type})."),
    N_("List identities with identity/get and use one of them."),
)

declare(
    "identity_unavailable",
    Family.FORBIDDEN,
    40001,
    N_("Identity {identity_id} can no longer be used."),
    N_("The account owner ended the access on {ended_at}."),
    N_("Request access to the account again."),
)

declare(
    "keyword_not_supported",
    Family.INVALID,
    40002,
    N_("keyword can only be used with identity_type AUTH_CODE."),
    N_("Keyword search runs over the posts authorized by code."),
    N_("Remove keyword, or use tt_video/list."),
)

declare(
    "access_request_not_found",
    Family.NOT_FOUND,
    40007,
    N_("Access request {request_id} does not exist."),
    N_("No access request with this id is visible to you."),
    N_("List your access requests to find the right one."),
)

declare(
    "access_request_closed",
    Family.CONFLICT,
    40002,
    N_("This access request is already {status}."),
    N_("Only pending requests can be accepted or rejected, and only accepted ones ended."),
    N_("Ask the Business Center for a new request if needed."),
)

declare(
    "access_already_granted",
    Family.CONFLICT,
    40002,
    N_("{name} already has access to @{handle}."),
    N_("An accepted access for this account is still in force."),
    N_("Use the existing identity; end the access first to request it again."),
)
