"""Errors of the creator marketplace: lookalikes, audiences in use, creator profiles and
collaborations.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "audience_in_use",
    Family.INVALID,
    40002,
    N_("Audience {audience_id} is used by {by}."),
    N_("Deleting it would change who that ad group or lookalike reaches."),
    N_(
        "Remove it from the ad group's targeting (adgroup/update/) or delete the lookalike first (in the same call), then delete the audience."
    ),
)

declare(
    "lookalike_seed_too_small",
    Family.INVALID,
    40002,
    N_("Audience {audience_id} has too few known viewers to find lookalikes ({size})."),
    N_("A lookalike needs at least {minimum} seed viewers whose features are known."),
    N_("Use a larger source audience, or refresh it once more viewers have been matched."),
)

declare(
    "lookalike_source_not_allowed",
    Family.INVALID,
    40002,
    N_("Audience {audience_id} cannot be the source of a lookalike."),
    N_("It is itself a lookalike; lookalikes of lookalikes drift away from the real customers."),
    N_("Use the customer file or engagement audience the lookalike was built from."),
)

declare(
    "creator_profile_not_found",
    Family.NOT_FOUND,
    40007,
    N_("Creator {creator_id} is not in the marketplace."),
    N_("The creator has not opted in with a marketplace profile, or has left it."),
    N_(
        "Search creators with GET /api/v1/marketplace/creators; a creator opts in with PUT /api/v1/marketplace/profile."
    ),
)

declare(
    "collaboration_not_found",
    Family.NOT_FOUND,
    40007,
    N_("No collaboration {collaboration_id}."),
    N_("The id is wrong, or the collaboration belongs to another creator or ad account."),
    N_("List your collaborations with GET /api/v1/marketplace/collaborations."),
)

declare(
    "collaboration_closed",
    Family.CONFLICT,
    40002,
    N_("The collaboration is already {status}."),
    N_("Only an invitation still waiting (INVITED) can be accepted, declined or cancelled."),
    N_("Send a new invitation if both sides still want to work together."),
)

declare(
    "collaboration_post_required",
    Family.INVALID,
    40002,
    N_("Accepting this collaboration needs the post to authorize."),
    N_("The brand sent a brief: the creator publishes a post for it, then names it on acceptance."),
    N_("Publish the post, then accept again giving its item_id."),
)
