"""Words for TikTok's enum values, marked for translation (shown with `_()` in templates)."""

from __future__ import annotations

from sparkads.web.i18n import N_

OBJECTIVES = {
    "REACH": (N_("Reach"), N_("Show your ad to as many people as possible.")),
    "TRAFFIC": (N_("Traffic"), N_("Send people to your website or app.")),
    "VIDEO_VIEWS": (N_("Video views"), N_("Get more people to watch the post.")),
    "ENGAGEMENT": (N_("Community interaction"), N_("Get more followers or profile visits.")),
    "LEAD_GENERATION": (N_("Lead generation"), N_("Collect leads from interested people.")),
    "APP_PROMOTION": (N_("App promotion"), N_("Get people to install or use your app.")),
    "WEB_CONVERSIONS": (N_("Website conversions"), N_("Drive valuable actions on your website.")),
}
GOALS = {
    "REACH": N_("Reach"),
    "CLICK": N_("Clicks"),
    "TRAFFIC_LANDING_PAGE_VIEW": N_("Landing page views"),
    "VIDEO_VIEW": N_("6-second views"),
    "ENGAGED_VIEW": N_("Engaged views"),
    "FOLLOWERS": N_("Followers"),
    "PROFILE_VIEWS": N_("Profile views"),
    "LEAD_GENERATION": N_("Leads"),
    "INSTALL": N_("Installs"),
    "IN_APP_EVENT": N_("In-app events"),
    "CONVERT": N_("Conversions"),
}
BILLING = {
    "CPM": N_("per 1,000 impressions (CPM)"),
    "CPC": N_("per click (CPC)"),
    "CPV": N_("per 6-second view (CPV)"),
    "OCPM": N_("target cost per result (CPA)"),
}
# How the ad reaches the post's account (TikTok's identity_type): words, the code on hover.
IDENTITY_TYPES = {
    "AUTH_CODE": N_("Spark code"),
    "TT_USER": N_("Own TikTok account"),
    "BC_AUTH_TT": N_("Business Center account"),
}
PROMOTIONS = {
    "WEBSITE": N_("Website"),
    "APP_ANDROID": N_("Android app"),
    "APP_IOS": N_("iOS app"),
    "LEAD_GENERATION": N_("Instant form"),
}
GENDERS = {
    "GENDER_UNLIMITED": N_("All"),
    "GENDER_FEMALE": N_("Women"),
    "GENDER_MALE": N_("Men"),
}
AGE_GROUPS = {
    "AGE_13_17": "13–17",
    "AGE_18_24": "18–24",
    "AGE_25_34": "25–34",
    "AGE_35_44": "35–44",
    "AGE_45_54": "45–54",
    "AGE_55_100": "55+",
}
INTERESTS = {
    "100": N_("Beauty & Personal Care"),
    "101": N_("Food & Beverage"),
    "102": N_("Games"),
    "103": N_("Sports & Outdoors"),
    "104": N_("Travel"),
    "105": N_("Tech & Electronics"),
    "106": N_("Apparel & Accessories"),
    "107": N_("Home Improvement"),
    "108": N_("Pets"),
    "109": N_("Education"),
    "110": N_("Financial Services"),
    "111": N_("Vehicles & Transportation"),
    "112": N_("News & Entertainment"),
    "113": N_("Baby, Kids & Maternity"),
    "114": N_("Health"),
    "115": N_("Household Products"),
}
CALLS_TO_ACTION = {
    "SHOP_NOW": N_("Shop now"),
    "LEARN_MORE": N_("Learn more"),
    "SIGN_UP": N_("Sign up"),
    "ORDER_NOW": N_("Order now"),
    "BOOK_NOW": N_("Book now"),
    "DOWNLOAD_NOW": N_("Download now"),
    "INSTALL_NOW": N_("Install now"),
    "CONTACT_US": N_("Contact us"),
    "APPLY_NOW": N_("Apply now"),
    "SUBSCRIBE": N_("Subscribe"),
    "WATCH_NOW": N_("Watch now"),
    "VIEW_PROFILE": N_("View profile"),
    "GET_QUOTE": N_("Get quote"),
    "PLAY_GAME": N_("Play game"),
    "VISIT_STORE": N_("Visit store"),
}
# (label, tone of the badge) for each secondary status: why an object delivers or not.
SECONDARY = {
    "CAMPAIGN_STATUS_ENABLE": (N_("Active"), "ok"),
    "CAMPAIGN_STATUS_DISABLE": (N_("Paused"), "off"),
    "CAMPAIGN_STATUS_DELETE": (N_("Deleted"), "off"),
    "ADGROUP_STATUS_DELIVERY_OK": (N_("Delivering"), "ok"),
    "ADGROUP_STATUS_NOT_START": (N_("Scheduled: not started yet"), "warn"),
    "ADGROUP_STATUS_TIME_DONE": (N_("Ended: schedule over"), "off"),
    "ADGROUP_STATUS_DISABLE": (N_("Paused"), "off"),
    "ADGROUP_STATUS_CAMPAIGN_DISABLE": (N_("Not delivering: campaign paused"), "off"),
    "ADGROUP_STATUS_DELETE": (N_("Deleted"), "off"),
    "ADGROUP_STATUS_CAMPAIGN_DELETE": (N_("Deleted with its campaign"), "off"),
    "AD_STATUS_DELIVERY_OK": (N_("Delivering"), "ok"),
    "AD_STATUS_NOT_START": (N_("Scheduled: not started yet"), "warn"),
    "AD_STATUS_DONE": (N_("Ended: schedule over"), "off"),
    "AD_STATUS_DISABLE": (N_("Paused"), "off"),
    "AD_STATUS_ADGROUP_DISABLE": (N_("Not delivering: ad group paused"), "off"),
    "AD_STATUS_CAMPAIGN_DISABLE": (N_("Not delivering: campaign paused"), "off"),
    "AD_STATUS_DELETE": (N_("Deleted"), "off"),
    "AD_STATUS_ADGROUP_DELETE": (N_("Deleted with its ad group"), "off"),
    "AD_STATUS_CAMPAIGN_DELETE": (N_("Deleted with its campaign"), "off"),
    "AD_STATUS_ASSET_AUTHORIZATION_LOST": (N_("Not delivering: authorization lost"), "bad"),
    "AD_STATUS_AUDIT": (N_("In review"), "warn"),
    "AD_STATUS_REAUDIT": (N_("In review again after an edit"), "warn"),
    "AD_STATUS_AUDIT_DENY": (N_("Rejected in review"), "bad"),
}
