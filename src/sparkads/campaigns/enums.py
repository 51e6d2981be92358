"""TikTok v1.3 enum values sparkads supports for campaigns, ad groups and ads (reference §4)."""

from __future__ import annotations

from enum import StrEnum


class Objective(StrEnum):
    REACH = "REACH"
    TRAFFIC = "TRAFFIC"
    VIDEO_VIEWS = "VIDEO_VIEWS"
    ENGAGEMENT = "ENGAGEMENT"
    LEAD_GENERATION = "LEAD_GENERATION"
    APP_PROMOTION = "APP_PROMOTION"
    WEB_CONVERSIONS = "WEB_CONVERSIONS"


class BudgetMode(StrEnum):
    INFINITE = "BUDGET_MODE_INFINITE"
    DAY = "BUDGET_MODE_DAY"
    TOTAL = "BUDGET_MODE_TOTAL"


class OptimizationGoal(StrEnum):
    REACH = "REACH"
    CLICK = "CLICK"
    TRAFFIC_LANDING_PAGE_VIEW = "TRAFFIC_LANDING_PAGE_VIEW"
    VIDEO_VIEW = "VIDEO_VIEW"
    ENGAGED_VIEW = "ENGAGED_VIEW"
    FOLLOWERS = "FOLLOWERS"
    PROFILE_VIEWS = "PROFILE_VIEWS"
    LEAD_GENERATION = "LEAD_GENERATION"
    INSTALL = "INSTALL"
    IN_APP_EVENT = "IN_APP_EVENT"
    CONVERT = "CONVERT"


class BillingEvent(StrEnum):
    CPM = "CPM"
    CPC = "CPC"
    CPV = "CPV"
    OCPM = "OCPM"


class BidType(StrEnum):
    CUSTOM = "BID_TYPE_CUSTOM"
    NO_BID = "BID_TYPE_NO_BID"


class Pacing(StrEnum):
    SMOOTH = "PACING_MODE_SMOOTH"
    FAST = "PACING_MODE_FAST"


class ScheduleType(StrEnum):
    FROM_NOW = "SCHEDULE_FROM_NOW"
    START_END = "SCHEDULE_START_END"


class PromotionType(StrEnum):
    WEBSITE = "WEBSITE"
    APP_ANDROID = "APP_ANDROID"
    APP_IOS = "APP_IOS"
    LEAD_GENERATION = "LEAD_GENERATION"


class PlacementType(StrEnum):
    NORMAL = "PLACEMENT_TYPE_NORMAL"
    AUTOMATIC = "PLACEMENT_TYPE_AUTOMATIC"


class OperationStatus(StrEnum):
    ENABLE = "ENABLE"
    DISABLE = "DISABLE"
    DELETE = "DELETE"


class ReviewStatus(StrEnum):
    IN_REVIEW = "IN_REVIEW"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"


class AdFormat(StrEnum):
    SINGLE_VIDEO = "SINGLE_VIDEO"
    CAROUSEL_ADS = "CAROUSEL_ADS"


class Gender(StrEnum):
    FEMALE = "GENDER_FEMALE"
    MALE = "GENDER_MALE"
    UNLIMITED = "GENDER_UNLIMITED"


class AgeGroup(StrEnum):
    AGE_13_17 = "AGE_13_17"
    AGE_18_24 = "AGE_18_24"
    AGE_25_34 = "AGE_25_34"
    AGE_35_44 = "AGE_35_44"
    AGE_45_54 = "AGE_45_54"
    AGE_55_100 = "AGE_55_100"


class OperatingSystem(StrEnum):
    ANDROID = "ANDROID"
    IOS = "IOS"


class NetworkType(StrEnum):
    WIFI = "WIFI"
    G2 = "2G"
    G3 = "3G"
    G4 = "4G"
    G5 = "5G"


class ActionScene(StrEnum):
    VIDEO_RELATED = "VIDEO_RELATED"
    CREATOR_RELATED = "CREATOR_RELATED"


class VideoUserAction(StrEnum):
    WATCHED_TO_END = "WATCHED_TO_END"
    LIKED = "LIKED"
    COMMENTED = "COMMENTED"
    SHARED = "SHARED"
    FOLLOWING = "FOLLOWING"
    VIEW_HOMEPAGE = "VIEW_HOMEPAGE"


class DarkPostStatus(StrEnum):
    ON = "ON"
    OFF = "OFF"


CALL_TO_ACTIONS = (
    "APPLY_NOW",
    "BOOK_NOW",
    "CALL_NOW",
    "CONTACT_US",
    "DOWNLOAD_NOW",
    "EXPERIENCE_NOW",
    "GET_QUOTE",
    "GET_SHOWTIMES",
    "GET_TICKETS_NOW",
    "INSTALL_NOW",
    "INTERESTED",
    "LEARN_MORE",
    "LISTEN_NOW",
    "ORDER_NOW",
    "PLAY_GAME",
    "PREORDER_NOW",
    "READ_MORE",
    "SEND_MESSAGE",
    "SHOP_NOW",
    "SIGN_UP",
    "SUBSCRIBE",
    "VIEW_NOW",
    "VIEW_PROFILE",
    "VISIT_STORE",
    "WATCH_LIVE",
    "WATCH_NOW",
    "JOIN_THIS_HASHTAG",
    "SHOOT_WITH_THIS_EFFECT",
    "VIEW_VIDEO_WITH_THIS_EFFECT",
)
