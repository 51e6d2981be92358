"""Errors of campaigns. Ad review: the reasons shown to advertisers, the review queue, policy
rules and appeals.

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "review_prohibited_word",
    Family.WARNING,
    40002,
    N_("The caption contains a prohibited word: {word}."),
    N_('The platform\'s content policy does not allow "{word}" in sponsored posts.'),
    N_("Sponsor another post whose caption does not use it."),
)

declare(
    "review_prohibited_category",
    Family.WARNING,
    40002,
    N_("The post belongs to a prohibited category: {category}."),
    N_('Its caption mentions "{word}", and {category} cannot be advertised on this platform.'),
    N_("Advertise something outside this category."),
)

declare(
    "review_blocked_domain",
    Family.WARNING,
    40002,
    N_("The landing page's domain {domain} is blocked."),
    N_("The platform does not send people to {domain}."),
    N_("Use a landing page on another domain."),
)

declare(
    "review_domain_not_allowed",
    Family.WARNING,
    40002,
    N_("The landing page's domain {domain} is not on the allowed list."),
    N_("This platform sends people only to domains its operators allowed."),
    N_("Use a landing page on an allowed domain, or ask the platform to allow yours."),
)

declare(
    "review_needs_adult_targeting",
    Family.WARNING,
    40002,
    N_("{category} ads must target people aged 18 and over only."),
    N_('The caption mentions "{word}" ({category}), and the ad group can reach people under 18.'),
    N_(
        "Choose only the age groups from 18 up in the ad group's targeting, then edit the ad to send it for review again."
    ),
)

declare(
    "review_duration_not_allowed",
    Family.WARNING,
    40002,
    N_("The post lasts {duration} s, outside the allowed {low} to {high} s."),
    N_("The platform's policy sets how long a sponsored video may last."),
    N_("Sponsor a post whose length is within the range."),
)

declare(
    "review_format_not_allowed",
    Family.WARNING,
    40002,
    N_("Posts in the {format} format cannot be sponsored here."),
    N_("The platform's policy excludes this format from ads."),
    N_("Sponsor a post in another format."),
)

declare(
    "review_misleading",
    Family.WARNING,
    40002,
    N_("The ad makes misleading claims."),
    N_("A reviewer found claims the post cannot back up. {note}"),
    N_("Sponsor a post whose claims are accurate."),
)

declare(
    "review_inappropriate",
    Family.WARNING,
    40002,
    N_("The ad's content is inappropriate."),
    N_("A reviewer found content the platform does not sponsor. {note}"),
    N_("Sponsor another post."),
)

declare(
    "review_intellectual_property",
    Family.WARNING,
    40002,
    N_("The ad may infringe someone else's rights."),
    N_("A reviewer found material (music, images, brands) used without the rights. {note}"),
    N_("Sponsor a post whose content you or the creator hold the rights to."),
)

declare(
    "review_low_quality",
    Family.WARNING,
    40002,
    N_("The ad's quality is too low."),
    N_("A reviewer found the video blurry, cut off or unreadable. {note}"),
    N_("Sponsor a clearer post."),
)

declare(
    "ad_not_in_review",
    Family.CONFLICT,
    40002,
    N_("Ad {ad_id} is not waiting for review."),
    N_("It was already approved or rejected, or it was deleted."),
    N_("Reload the review queue; an edited ad comes back to it by itself."),
)

declare(
    "review_reason_required",
    Family.INVALID,
    40002,
    N_("A rejection needs at least one reason."),
    N_("The advertiser is shown why the ad was rejected; known reasons: {known}."),
    N_("Pick one or more reasons, with a note if it helps."),
)

declare(
    "policy_rule_invalid",
    Family.INVALID,
    40002,
    N_("This policy rule is not valid: {detail}."),
    N_(
        'Rule kinds: {kinds}. Categories are written "name: word, word"; durations in seconds; formats as post formats.'
    ),
    N_("Correct the value and try again (`sparkads policy --help`)."),
)

declare(
    "appeal_not_possible",
    Family.CONFLICT,
    40002,
    N_("This post cannot be appealed."),
    N_(
        "Only a post taken down can be appealed, and only once while an appeal is pending (this one: {state})."
    ),
    N_("Wait for the answer to the pending appeal."),
)
