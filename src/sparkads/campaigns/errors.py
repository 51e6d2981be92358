"""Errors of campaigns. Ads Manager: campaigns, ad groups and ads, and the warnings kept on an
ad (returned with create and update, never refusing it).

Declared with `sparkads.errors.declare`; their French is in the catalogue (`sparkads.i18n`).
"""

from __future__ import annotations

from sparkads.errors import Family, declare
from sparkads.i18n import N_

declare(
    "budget_below_minimum",
    Family.INVALID,
    40002,
    N_("The {level} budget must be at least {minimum} {currency}."),
    N_("{given} {currency} is below the minimum for {mode}."),
    N_("Set a budget of {minimum} {currency} or more."),
)

declare(
    "budget_mode_locked",
    Family.INVALID,
    40002,
    N_("The budget mode cannot change once set."),
    N_("This {level} uses {current}; switching to {requested} would change how past spend counts."),
    N_("Keep {current}, or create a new {level} with the budget mode you want."),
)

declare(
    "goal_not_allowed",
    Family.INVALID,
    40002,
    N_("{goal} is not an optimisation goal of {objective} campaigns."),
    N_("Each campaign objective allows its own optimisation goals."),
    N_("Use one of: {allowed}."),
)

declare(
    "billing_not_allowed",
    Family.INVALID,
    40002,
    N_("{billing} billing does not go with the {goal} goal."),
    N_("Each optimisation goal is billed in its own way."),
    N_("Use billing_event {allowed}."),
)

declare(
    "bid_required",
    Family.INVALID,
    40002,
    N_("A custom {billing} bid needs {field}."),
    N_("BID_TYPE_CUSTOM bids the amount you give; none was given."),
    N_("Send {field} greater than 0, or use BID_TYPE_NO_BID (lowest cost)."),
)

declare(
    "unknown_targeting_ids",
    Family.INVALID,
    40002,
    N_("Unknown {kind} in {field}: {ids}."),
    N_("These ids are not in the targeting catalogue."),
    N_("List valid ids with {tool}."),
)

declare(
    "audience_too_small",
    Family.INVALID,
    40002,
    N_("Audience “{name}” ({audience_id}) is too small to target ({size} people)."),
    N_("To protect privacy, audiences under {minimum} matched people cannot be targeted."),
    N_("Grow the audience (add identifiers, widen the rule or the lookalike share)."),
)

declare(
    "unknown_field",
    Family.INVALID,
    40002,
    N_("Unknown field {field}."),
    N_("{field} is not a parameter of this endpoint."),
    N_("Check the spelling against /docs."),
)

declare(
    "duplicated_request",
    Family.CONFLICT,
    40050,
    N_("Duplicated request: request_id {request_id} was already used."),
    N_(
        "A create call with this request_id already succeeded ({object_type} {object_id}); nothing new was created."
    ),
    N_("Use the existing {object_type}, or send a new request_id for a new one."),
)

declare(
    "object_not_found",
    Family.NOT_FOUND,
    40007,
    N_("{object_type} {object_id} does not exist."),
    N_("No {object_type} with this id belongs to this ad account."),
    N_("Check the id, or list them with the matching /get/ endpoint."),
)

declare(
    "object_deleted",
    Family.INVALID,
    40002,
    N_("{object_type} {object_id} is deleted."),
    N_("Deleted objects, and objects inside deleted ones, cannot change."),
    N_("Create a new one instead."),
)

declare(
    "schedule_invalid",
    Family.INVALID,
    40002,
    N_("Invalid schedule: {detail}."),
    N_("schedule_type, schedule_start_time and schedule_end_time do not fit together."),
    N_("Times are UTC 'YYYY-MM-DD HH:MM:SS'; SCHEDULE_START_END needs an end after the start."),
)

declare(
    "post_not_authorized",
    Family.INVALID,
    40002,
    N_("Post {item_id} is not authorized for identity {identity_id}."),
    N_("A Spark ad can only use a post this ad account reaches through that identity."),
    N_("Apply the creator's code (tt_video/authorize) or pick a post from identity/video/get."),
)

declare(
    "ad_format_mismatch",
    Family.INVALID,
    40002,
    N_("ad_format {ad_format} does not fit a {item_type} post."),
    N_("Video posts run as SINGLE_VIDEO, photo carousels as CAROUSEL_ADS."),
    N_("Use ad_format {expected}."),
)

declare(
    "push_needs_own_account",
    Family.INVALID,
    40002,
    N_("A new video can only be published through a TT_USER or BC_AUTH_TT identity."),
    N_(
        "Creating an ad from video_id publishes a new ads-only post on the account, which needs account access."
    ),
    N_(
        "Link the account (TT_USER) or get Business Center access (BC_AUTH_TT), or use tiktok_item_id."
    ),
)

declare(
    "landing_page_invalid",
    Family.INVALID,
    40002,
    N_("{field} is not a valid web address: {detail}."),
    N_("The landing page must be an absolute http(s) URL people can open."),
    N_("Send a URL such as https://example.com/offer?utm_source=tiktok."),
)

declare(
    "video_not_found",
    Family.NOT_FOUND,
    40007,
    N_("Video {video_id} does not exist."),
    N_("No video with this id was uploaded to this ad account."),
    N_("Upload it with file/video/ad/upload first."),
)

declare(
    "video_file_invalid",
    Family.INVALID,
    40908,
    N_("The file is not a video sparkads can read: {detail}."),
    N_("Uploads must be MP4 or MOV files with a readable duration."),
    N_("Export the video as MP4 (H.264) and upload it again."),
)

declare(
    "duration_outside_best_practice",
    Family.WARNING,
    0,
    N_("The post lasts {duration} s; Spark ads perform best between 9 and 15 s."),
    N_("Short, authentic posts keep attention through the sponsored view."),
    N_("Consider a post of 9 to 15 seconds from the library."),
)

declare(
    "music_not_cleared",
    Family.WARNING,
    0,
    N_('The music "{title}" is not cleared for commercial use.'),
    N_("Sounds from the general library may be muted or refused in ads in some regions."),
    N_("Prefer a post using commercially cleared music."),
)

declare(
    "authorization_ends_before_schedule",
    Family.WARNING,
    0,
    N_("The creator's authorization ends on {ends_at}, before the ad group's schedule does."),
    N_("{schedule_end}; without a new code the ad stops on {ends_at}."),
    N_("Ask the creator for a longer code (60 or 365 days) and apply it before then."),
)

# who may see sponsored posts by age (campaigns/minors.py)
declare(
    "minors_see_no_profiled_ads",
    Family.WARNING,
    0,
    N_("Viewers aged 13 to 17 in these countries will not see this ad group: {countries}."),
    N_(
        "Its targeting uses profiling ({used}); in the EEA, the United Kingdom and Switzerland, minors are shown no ads based on profiling (EU Digital Services Act, art. 28(2))."
    ),
    N_(
        "To reach them, create a second ad group without interests, behaviours or audiences (age, gender, location, language and device stay allowed); or leave this one for adults (18+)."
    ),
)

declare(
    "viewer_below_minimum_age",
    Family.WARNING,
    0,
    N_("No sponsored post for a viewer aged {age}: the minimum age is {minimum}."),
    N_("Sponsored posts are never shown to viewers under {minimum} (the age your feed sent)."),
    N_(
        "Nothing to fix: show organic posts in these slots. If the age is wrong, send the viewer's real age or none."
    ),
)
