"""Errors of accounts: Business Centers, creators, tokens, people, roles and developer apps.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "business_center_not_found",
    Family.NOT_FOUND,
    40007,
    N_("Business Center {bc_id} does not exist."),
    N_("No Business Center with this id is visible to you."),
    N_("Check bc_id."),
)

declare(
    "creator_not_found",
    Family.NOT_FOUND,
    40007,
    N_("No creator account @{handle}."),
    N_("No creator has this handle."),
    N_("Check the spelling of the handle."),
)

declare(
    "handle_taken",
    Family.CONFLICT,
    40002,
    N_("The handle @{handle} is already taken."),
    N_("Handles are unique across creators."),
    N_("Choose another handle."),
)

declare(
    "access_token_missing",
    Family.UNAUTHENTICATED,
    40104,
    N_("Access token is null, you should set it in http header with key Access-Token."),
    N_("The request carries no access token."),
    N_(
        "Send the token printed when the account was created (Access-Token header, or Authorization: Bearer on /api/v1)."
    ),
)

declare(
    "access_token_invalid",
    Family.UNAUTHENTICATED,
    40105,
    N_("The access token is invalid."),
    N_("The token is unknown or was revoked."),
    N_("Use a current token; operators can issue one with the sparkads CLI."),
)

declare(
    "no_permission",
    Family.FORBIDDEN,
    40001,
    N_("This token cannot act on {what}."),
    N_("Each token is scoped to one account, and this {what} is not part of it."),
    N_("Use the token of the account that owns it."),
)

declare(
    "wrong_token_scope",
    Family.FORBIDDEN,
    40001,
    N_("This call needs {needed}, not {given}."),
    N_("Tokens are scoped to one kind of account."),
    N_("Call with {needed}."),
)

declare(
    "advertiser_not_found",
    Family.NOT_FOUND,
    40300,
    N_("Advertiser {advertiser_id} does not exist."),
    N_("No ad account has this id."),
    N_("Check advertiser_id."),
)

declare(
    "role_not_allowed",
    Family.FORBIDDEN,
    40001,
    N_("The {role} role cannot do this: it needs {needed}."),
    N_(
        "Business Center roles: analysts read, operators also change campaigns, ads and codes, admins also manage people and tokens."
    ),
    N_(
        "Ask an admin of the Business Center for a role that allows it, or for a token with that role."
    ),
)

declare(
    "not_a_demo_account",
    Family.FORBIDDEN,
    40001,
    N_("{account} is not a demo account."),
    N_(
        "Only the accounts seeded by `sparkads demo` (or created with --demo) open without a token, even in the sandbox."
    ),
    N_("Sign in with the account's access token, or pick one of the listed demo accounts."),
)

declare(
    "password_sign_in_failed",
    Family.UNAUTHENTICATED,
    40105,
    N_("The email or the password is wrong."),
    N_("No account has this email, or its password is another one."),
    N_("Check both, or ask for a password reset link."),
)

declare(
    "reset_link_invalid",
    Family.INVALID,
    40002,
    N_("This password reset link cannot be used."),
    N_("It was already used, it expired (links last one hour), or it was mistyped."),
    N_("Ask for a new link from the sign-in page."),
)

declare(
    "app_credentials_invalid",
    Family.UNAUTHENTICATED,
    40101,
    N_("The app_id and secret do not match a registered app."),
    N_("The app is unknown, disabled, or the secret is not the one shown when it was registered."),
    N_(
        "Send the app_id and secret printed by `sparkads apps create`; ask an operator to register the app again if the secret is lost."
    ),
)

declare(
    "oauth_code_invalid",
    Family.INVALID,
    40110,
    N_("The authorization code is invalid: it is unknown, already used or expired."),
    N_(
        "An auth_code works once, for the app it was issued to, within {minutes} minutes of the approval."
    ),
    N_(
        "Send the advertiser through the authorization page again and exchange the new code at once."
    ),
)

declare(
    "redirect_uri_not_registered",
    Family.INVALID,
    40002,
    N_("The redirect_uri is not one of this app's redirect URIs."),
    N_(
        "An authorization is only sent back to an address registered with the app: {redirect_uri} is not."
    ),
    N_(
        "Use a registered redirect URI, or ask an operator to add this one (`sparkads apps create --redirect-uri …`)."
    ),
)

declare(
    "oauth_person_required",
    Family.FORBIDDEN,
    40001,
    N_("Only a person signed in with an email and a password can authorize an app."),
    N_(
        "This web session was opened with a token or a demo account, which belongs to no person and no role to hand on."
    ),
    N_("Sign out, sign in with your email and password, then open the authorization link again."),
)

declare(
    "oauth_one_business_center",
    Family.INVALID,
    40002,
    N_("Approve ad accounts of one Business Center at a time."),
    N_("The chosen ad accounts belong to {count} Business Centers; one access token acts for one."),
    N_("Pick ad accounts of one Business Center, then authorize the app again for the others."),
)
