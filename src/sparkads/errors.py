"""The one error catalogue.

Every error a user can meet is declared here once: a stable symbolic code, a family (which fixes the
HTTP status on native surfaces), the TikTok v1.3 numeric code, and message, cause and solution in
English and French. Domains raise `SparkadsError("code", **params)`; each surface (open API, native
API, CLI, web) translates it in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Family(StrEnum):
    INVALID = "invalid"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    TOO_LARGE = "too_large"
    INTERNAL = "internal"
    WARNING = "warning"  # not raised: returned beside a successful answer


HTTP_STATUS = {
    Family.INVALID: 400,
    Family.UNAUTHENTICATED: 401,
    Family.FORBIDDEN: 403,
    Family.NOT_FOUND: 404,
    Family.CONFLICT: 409,
    Family.RATE_LIMITED: 429,
    Family.TOO_LARGE: 413,
    Family.INTERNAL: 500,
    Family.WARNING: 200,
}

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def render(self, lang: str, params: dict[str, Any]) -> str:
        template = self.fr if lang == "fr" else self.en
        try:
            return template.format(**params)
        except (KeyError, IndexError):
            return template


@dataclass(frozen=True)
class ErrorSpec:
    code: str
    family: Family
    tiktok_code: int
    message: Text
    cause: Text
    solution: Text

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.family]


class SparkadsError(Exception):
    """A domain error: a catalogue code plus the parameters its texts mention."""

    def __init__(self, code: str, **params: Any) -> None:
        if code not in CATALOGUE:
            raise KeyError(f"unknown error code {code!r}: declare it in sparkads.errors")
        self.code = code
        self.params = params
        super().__init__(f"{code}: {self.spec.message.render('en', params)}")

    @property
    def spec(self) -> ErrorSpec:
        return CATALOGUE[self.code]

    def render(self, lang: str = "en") -> dict[str, str]:
        """Message, cause and solution; `because="<code>"` gives the cause and solution of another
        entry (one code, several causes: `video_unavailable` for a post taken down)."""
        spec = self.spec
        why = CATALOGUE.get(str(self.params.get("because", "")), spec)
        return {
            "code": self.code,
            "message": spec.message.render(lang, self.params),
            "cause": why.cause.render(lang, self.params),
            "solution": why.solution.render(lang, self.params),
        }


def _e(
    code: str,
    family: Family,
    tiktok: int,
    message: tuple[str, str],
    cause: tuple[str, str],
    solution: tuple[str, str],
) -> ErrorSpec:
    return ErrorSpec(code, family, tiktok, Text(*message), Text(*cause), Text(*solution))


F = Family
_SPECS = [
    # --- R15: the five Spark errors, with exactly these names -------------------------------
    _e(
        "video_unavailable",
        F.INVALID,
        40002,
        ("The post is no longer available.", "La publication n'est plus disponible."),
        (
            "The creator deleted the post, or it was taken down for breaking the content policy.",
            "Le créateur a supprimé la publication, ou elle a été retirée pour non-respect du règlement.",
        ),
        (
            "Ask the creator for a code on another post that is still online.",
            "Demandez au créateur un code pour une autre publication toujours en ligne.",
        ),
    ),
    _e(
        "auth_code_expired",
        F.INVALID,
        40110,
        ("The authorization code has expired.", "Le code d'autorisation a expiré."),
        (
            "The authorization window the creator chose ({duration_days} days) ended on {ended_at}.",
            "La période d'autorisation choisie par le créateur ({duration_days} jours) a pris fin le {ended_at}.",
        ),
        (
            "Ask the creator to generate a new code, with a longer duration if the campaign runs longer.",
            "Demandez au créateur de générer un nouveau code, avec une durée plus longue si la campagne dure plus longtemps.",
        ),
    ),
    _e(
        "not_public_video",
        F.INVALID,
        40002,
        ("The post is not public.", "La publication n'est pas publique."),
        (
            "Only public posts, or posts published for ads only, can be sponsored; this one is {visibility}.",
            "Seules les publications publiques, ou publiées uniquement pour la publicité, peuvent être sponsorisées ; celle-ci est {visibility_fr}.",
        ),
        (
            "Ask the creator to make the post public, then apply the code again.",
            "Demandez au créateur de rendre la publication publique, puis appliquez à nouveau le code.",
        ),
    ),
    _e(
        "carousel_duet_not_supported",
        F.INVALID,
        40002,
        (
            "Carousel duets cannot be used as Spark ads.",
            "Les duos en carrousel ne peuvent pas être utilisés comme Spark Ads.",
        ),
        (
            "The post is a duet made with a photo carousel, a format Spark ads do not support.",
            "La publication est un duo réalisé avec un carrousel de photos, un format que les Spark Ads ne prennent pas en charge.",
        ),
        (
            "Choose a video post, a regular carousel or a video duet instead.",
            "Choisissez plutôt une vidéo, un carrousel classique ou un duo vidéo.",
        ),
    ),
    _e(
        "auth_code_format_error",
        F.INVALID,
        40002,
        (
            "The authorization code is not in the right format.",
            "Le code d'autorisation n'est pas au bon format.",
        ),
        (
            "The code was mistyped or cut when copied: {detail}.",
            "Le code a été mal saisi ou tronqué lors de la copie : {detail_fr}.",
        ),
        (
            "Copy the whole code again from the creator's message, without spaces or missing characters.",
            "Copiez à nouveau le code entier depuis le message du créateur, sans espaces ni caractères manquants.",
        ),
    ),
    # --- other Spark authorization errors ---------------------------------------------------
    _e(
        "auth_code_not_found",
        F.NOT_FOUND,
        40110,
        (
            "No post is authorized with this code.",
            "Aucune publication n'est autorisée avec ce code.",
        ),
        (
            "The code is well formed but was never issued by a creator.",
            "Le code est bien formé mais n'a jamais été émis par un créateur.",
        ),
        (
            "Check that you copied the latest code the creator sent you.",
            "Vérifiez que vous avez copié le dernier code envoyé par le créateur.",
        ),
    ),
    _e(
        "auth_code_revoked",
        F.INVALID,
        40110,
        (
            "The creator revoked this authorization code.",
            "Le créateur a révoqué ce code d'autorisation.",
        ),
        (
            "The creator ended ad authorization for this post on {revoked_at}.",
            "Le créateur a mis fin à l'autorisation publicitaire de cette publication le {revoked_at}.",
        ),
        (
            "Contact the creator and ask for a new code if you still want to sponsor the post.",
            "Contactez le créateur et demandez un nouveau code si vous souhaitez toujours sponsoriser la publication.",
        ),
    ),
    _e(
        "auth_code_not_applied",
        F.NOT_FOUND,
        40007,
        (
            "This code has not been applied to your ad account.",
            "Ce code n'a pas été appliqué à votre compte publicitaire.",
        ),
        (
            "Post details are shown once a code is added to the creative library.",
            "Les détails de la publication sont visibles une fois le code ajouté à la bibliothèque de créations.",
        ),
        (
            "Apply the code with tt_video/authorize first.",
            "Appliquez d'abord le code avec tt_video/authorize.",
        ),
    ),
    _e(
        "story_not_supported",
        F.INVALID,
        40002,
        (
            "Stories cannot be used as Spark ads.",
            "Les stories ne peuvent pas être utilisées comme Spark Ads.",
        ),
        (
            "The post is a story, a format Spark ads do not support.",
            "La publication est une story, un format que les Spark Ads ne prennent pas en charge.",
        ),
        (
            "Ask the creator for a code on an in-feed post.",
            "Demandez au créateur un code pour une publication du fil.",
        ),
    ),
    _e(
        "original_post_auth_required",
        F.INVALID,
        40002,
        (
            "This {format} needs the original post's authorization code too.",
            "Ce {format} nécessite aussi le code d'autorisation de la publication d'origine.",
        ),
        (
            "Duets and stitches include another creator's post, which must be authorized as well.",
            "Les duos et les collages incluent la publication d'un autre créateur, qui doit aussi être autorisée.",
        ),
        (
            "Ask the original post's creator for a code and send it as original_post_auth_code.",
            "Demandez un code au créateur de la publication d'origine et envoyez-le dans original_post_auth_code.",
        ),
    ),
    _e(
        "original_post_mismatch",
        F.INVALID,
        40002,
        (
            "original_post_auth_code does not authorize the post this {format} was made from.",
            "original_post_auth_code n'autorise pas la publication à partir de laquelle ce {format} a été créé.",
        ),
        (
            "The second code belongs to post {given_item_id}, not to the original post {expected_item_id}.",
            "Le second code concerne la publication {given_item_id}, et non la publication d'origine {expected_item_id}.",
        ),
        (
            "Ask for a code on the original post {expected_item_id}.",
            "Demandez un code pour la publication d'origine {expected_item_id}.",
        ),
    ),
    _e(
        "original_post_auth_not_needed",
        F.INVALID,
        40002,
        (
            "original_post_auth_code is only for duets and stitches.",
            "original_post_auth_code ne sert qu'aux duos et aux collages.",
        ),
        (
            "The authorized post is a {format}, which includes no other post.",
            "La publication autorisée est un {format}, qui n'inclut aucune autre publication.",
        ),
        ("Send only auth_code.", "Envoyez seulement auth_code."),
    ),
    _e(
        "invalid_authorization_duration",
        F.INVALID,
        40002,
        (
            "Authorization can last 7, 30, 60 or 365 days, not {duration_days}.",
            "L'autorisation peut durer 7, 30, 60 ou 365 jours, pas {duration_days}.",
        ),
        (
            "Spark codes are only issued for these durations.",
            "Les codes Spark ne sont émis que pour ces durées.",
        ),
        ("Choose 7, 30, 60 or 365 days.", "Choisissez 7, 30, 60 ou 365 jours."),
    ),
    _e(
        "caption_locked",
        F.CONFLICT,
        40002,
        ("The caption can no longer be edited.", "La légende ne peut plus être modifiée."),
        (
            "The post was authorized for ads on {locked_at}; its caption is locked so sponsored and organic views show the same post.",
            "La publication a été autorisée pour la publicité le {locked_at} ; sa légende est verrouillée pour que les vues sponsorisées et organiques montrent la même publication.",
        ),
        (
            "Publish a new post with the new caption and authorize that one.",
            "Publiez une nouvelle publication avec la nouvelle légende et autorisez-la.",
        ),
    ),
    _e(
        "too_many_failed_attempts",
        F.RATE_LIMITED,
        40100,
        (
            "Too many invalid authorization codes; try again in {retry_after} seconds.",
            "Trop de codes d'autorisation invalides ; réessayez dans {retry_after} secondes.",
        ),
        (
            "{failures} codes from this ad account were rejected in the last {window} seconds.",
            "{failures} codes de ce compte publicitaire ont été refusés au cours des {window} dernières secondes.",
        ),
        (
            "Wait, then paste codes exactly as the creators sent them.",
            "Patientez, puis collez les codes exactement tels que les créateurs les ont envoyés.",
        ),
    ),
    _e(
        "authorization_not_found",
        F.NOT_FOUND,
        40007,
        ("No such authorization.", "Autorisation introuvable."),
        (
            "No authorization of yours matches {ref}.",
            "Aucune de vos autorisations ne correspond à {ref}.",
        ),
        (
            "List your authorizations to find the right one.",
            "Listez vos autorisations pour trouver la bonne.",
        ),
    ),
    _e(
        "post_not_found",
        F.NOT_FOUND,
        40007,
        ("Post {item_id} does not exist.", "La publication {item_id} n'existe pas."),
        (
            "No post with this id is visible to you.",
            "Aucune publication avec cet identifiant ne vous est visible.",
        ),
        (
            "Check the item_id, or list the posts available to you.",
            "Vérifiez l'item_id, ou listez les publications qui vous sont accessibles.",
        ),
    ),
    _e(
        "post_deleted",
        F.CONFLICT,
        40002,
        ("Post {item_id} was deleted.", "La publication {item_id} a été supprimée."),
        (
            "Deleted or taken down posts cannot be changed.",
            "Les publications supprimées ou retirées ne peuvent pas être modifiées.",
        ),
        ("Publish a new post instead.", "Publiez plutôt une nouvelle publication."),
    ),
    _e(
        "identity_not_found",
        F.NOT_FOUND,
        40007,
        (
            "Identity {identity_id} does not exist for this ad account.",
            "L'identité {identity_id} n'existe pas pour ce compte publicitaire.",
        ),
        (
            "The identity is not one of this ad account's, or not of the type given ({identity_type}).",
            "L'identité n'appartient pas à ce compte publicitaire, ou n'est pas du type indiqué ({identity_type}).",
        ),
        (
            "List identities with identity/get and use one of them.",
            "Listez les identités avec identity/get et utilisez l'une d'elles.",
        ),
    ),
    _e(
        "identity_unavailable",
        F.FORBIDDEN,
        40001,
        (
            "Identity {identity_id} can no longer be used.",
            "L'identité {identity_id} ne peut plus être utilisée.",
        ),
        (
            "The account owner ended the access on {ended_at}.",
            "Le titulaire du compte a mis fin à l'accès le {ended_at}.",
        ),
        ("Request access to the account again.", "Demandez à nouveau l'accès au compte."),
    ),
    _e(
        "keyword_not_supported",
        F.INVALID,
        40002,
        (
            "keyword can only be used with identity_type AUTH_CODE.",
            "keyword ne peut être utilisé qu'avec identity_type AUTH_CODE.",
        ),
        (
            "Keyword search runs over the posts authorized by code.",
            "La recherche par mot-clé porte sur les publications autorisées par code.",
        ),
        ("Remove keyword, or use tt_video/list.", "Retirez keyword, ou utilisez tt_video/list."),
    ),
    _e(
        "business_center_not_found",
        F.NOT_FOUND,
        40007,
        ("Business Center {bc_id} does not exist.", "Le Business Center {bc_id} n'existe pas."),
        (
            "No Business Center with this id is visible to you.",
            "Aucun Business Center avec cet identifiant ne vous est visible.",
        ),
        ("Check bc_id.", "Vérifiez bc_id."),
    ),
    _e(
        "creator_not_found",
        F.NOT_FOUND,
        40007,
        ("No creator account @{handle}.", "Aucun compte créateur @{handle}."),
        ("No creator has this handle.", "Aucun créateur n'a cet identifiant."),
        ("Check the spelling of the handle.", "Vérifiez l'orthographe de l'identifiant."),
    ),
    _e(
        "handle_taken",
        F.CONFLICT,
        40002,
        ("The handle @{handle} is already taken.", "L'identifiant @{handle} est déjà pris."),
        (
            "Handles are unique across creators.",
            "Les identifiants sont uniques parmi les créateurs.",
        ),
        ("Choose another handle.", "Choisissez un autre identifiant."),
    ),
    _e(
        "access_request_not_found",
        F.NOT_FOUND,
        40007,
        (
            "Access request {request_id} does not exist.",
            "La demande d'accès {request_id} n'existe pas.",
        ),
        (
            "No access request with this id is visible to you.",
            "Aucune demande d'accès avec cet identifiant ne vous est visible.",
        ),
        (
            "List your access requests to find the right one.",
            "Listez vos demandes d'accès pour trouver la bonne.",
        ),
    ),
    _e(
        "access_request_closed",
        F.CONFLICT,
        40002,
        ("This access request is already {status}.", "Cette demande d'accès est déjà {status_fr}."),
        (
            "Only pending requests can be accepted or rejected, and only accepted ones ended.",
            "Seules les demandes en attente peuvent être acceptées ou refusées, et seules les acceptées peuvent être terminées.",
        ),
        (
            "Ask the Business Center for a new request if needed.",
            "Demandez au Business Center une nouvelle demande si nécessaire.",
        ),
    ),
    _e(
        "access_already_granted",
        F.CONFLICT,
        40002,
        ("{name} already has access to @{handle}.", "{name} a déjà accès à @{handle}."),
        (
            "An accepted access for this account is still in force.",
            "Un accès accepté pour ce compte est toujours en vigueur.",
        ),
        (
            "Use the existing identity; end the access first to request it again.",
            "Utilisez l'identité existante ; mettez fin à l'accès avant d'en redemander un.",
        ),
    ),
    # --- Ads Manager: campaigns, ad groups, ads --------------------------------------------
    _e(
        "budget_below_minimum",
        F.INVALID,
        40002,
        (
            "The {level} budget must be at least {minimum} {currency}.",
            "Le budget {level_fr} doit être d'au moins {minimum} {currency}.",
        ),
        (
            "{given} {currency} is below the minimum for {mode} ({days} day(s) scheduled).",
            "{given} {currency} est en dessous du minimum pour {mode} ({days} jour(s) programmé(s)).",
        ),
        (
            "Set a budget of {minimum} {currency} or more.",
            "Indiquez un budget d'au moins {minimum} {currency}.",
        ),
    ),
    _e(
        "budget_mode_locked",
        F.INVALID,
        40002,
        (
            "The budget mode cannot change once set.",
            "Le mode de budget ne peut plus changer une fois défini.",
        ),
        (
            "This {level} uses {current}; switching to {requested} would change how past spend counts.",
            "{object_fr} utilise {current} ; passer à {requested} changerait la façon dont les dépenses passées sont comptées.",
        ),
        (
            "Keep {current}, or create a new {level} with the budget mode you want.",
            "Conservez {current}, ou créez-en un nouveau avec le mode de budget voulu.",
        ),
    ),
    _e(
        "goal_not_allowed",
        F.INVALID,
        40002,
        (
            "{goal} is not an optimisation goal of {objective} campaigns.",
            "{goal} n'est pas un objectif d'optimisation des campagnes {objective}.",
        ),
        (
            "Each campaign objective allows its own optimisation goals.",
            "Chaque objectif de campagne autorise ses propres objectifs d'optimisation.",
        ),
        ("Use one of: {allowed}.", "Utilisez l'un de : {allowed}."),
    ),
    _e(
        "billing_not_allowed",
        F.INVALID,
        40002,
        (
            "{billing} billing does not go with the {goal} goal.",
            "La facturation {billing} ne va pas avec l'objectif {goal}.",
        ),
        (
            "Each optimisation goal is billed in its own way.",
            "Chaque objectif d'optimisation est facturé à sa manière.",
        ),
        ("Use billing_event {allowed}.", "Utilisez billing_event {allowed}."),
    ),
    _e(
        "bid_required",
        F.INVALID,
        40002,
        (
            "A custom {billing} bid needs {field}.",
            "Une enchère personnalisée {billing} nécessite {field}.",
        ),
        (
            "BID_TYPE_CUSTOM bids the amount you give; none was given.",
            "BID_TYPE_CUSTOM enchérit le montant indiqué ; aucun n'a été donné.",
        ),
        (
            "Send {field} greater than 0, or use BID_TYPE_NO_BID (lowest cost).",
            "Envoyez {field} supérieur à 0, ou utilisez BID_TYPE_NO_BID (coût le plus bas).",
        ),
    ),
    _e(
        "unknown_targeting_ids",
        F.INVALID,
        40002,
        ("Unknown {kind} in {field}: {ids}.", "{kind_fr} inconnu(s) dans {field} : {ids}."),
        (
            "These ids are not in the targeting catalogue.",
            "Ces identifiants ne figurent pas dans le catalogue de ciblage.",
        ),
        ("List valid ids with {tool}.", "Listez les identifiants valides avec {tool}."),
    ),
    _e(
        "audience_not_found",
        F.INVALID,
        40002,
        ("Unknown audience in {field}: {ids}.", "Audience inconnue dans {field} : {ids}."),
        (
            "These audiences do not exist in this ad account.",
            "Ces audiences n'existent pas dans ce compte publicitaire.",
        ),
        (
            "Use the ids of audiences created in this ad account.",
            "Utilisez les identifiants d'audiences créées dans ce compte publicitaire.",
        ),
    ),
    _e(
        "audience_too_small",
        F.INVALID,
        40002,
        (
            "Audience {audience_id} is too small to target ({size} people).",
            "L'audience {audience_id} est trop petite pour être ciblée ({size} personnes).",
        ),
        (
            "To protect privacy, audiences under {minimum} matched people cannot be targeted.",
            "Pour protéger la vie privée, les audiences de moins de {minimum} personnes ne peuvent pas être ciblées.",
        ),
        (
            "Grow the audience (add identifiers, widen the rule or the lookalike share).",
            "Agrandissez l'audience (ajoutez des identifiants, élargissez la règle ou la part du public similaire).",
        ),
    ),
    _e(
        "metric_not_computed",
        F.INVALID,
        40002,
        (
            "metrics: {metric} is not computed by sparkads.",
            "metrics : {metric} n'est pas calculé par sparkads.",
        ),
        (
            "sparkads computes every report number from the events the feed sends; none of them gives {metric}, and a made-up value would mislead.",
            "sparkads calcule chaque chiffre des rapports à partir des événements envoyés par le flux ; aucun ne donne {metric}, et une valeur inventée induirait en erreur.",
        ),
        (
            "Remove {metric} from metrics; docs/kpis.md (Metrics not computed) says why and what to ask for instead.",
            "Retirez {metric} de metrics ; docs/kpis.md (Metrics not computed) explique pourquoi et quoi demander à la place.",
        ),
    ),
    _e(
        "field_not_supported",
        F.INVALID,
        40002,
        ("{field} is not supported by sparkads.", "{field} n'est pas pris en charge par sparkads."),
        (
            "{field} is a TikTok field outside the Spark Ads subset sparkads implements.",
            "{field} est un champ TikTok hors du sous-ensemble Spark Ads implémenté par sparkads.",
        ),
        (
            "Remove {field} from the request; see /docs for the supported fields.",
            "Retirez {field} de la requête ; voir /docs pour les champs pris en charge.",
        ),
    ),
    _e(
        "unknown_field",
        F.INVALID,
        40002,
        ("Unknown field {field}.", "Champ inconnu {field}."),
        (
            "{field} is not a parameter of this endpoint.",
            "{field} n'est pas un paramètre de ce point d'accès.",
        ),
        ("Check the spelling against /docs.", "Vérifiez l'orthographe dans /docs."),
    ),
    _e(
        "duplicated_request",
        F.CONFLICT,
        40050,
        (
            "Duplicated request: request_id {request_id} was already used.",
            "Requête en double : request_id {request_id} a déjà été utilisé.",
        ),
        (
            "A create call with this request_id already succeeded ({object_type} {object_id}); nothing new was created.",
            "Un appel de création avec ce request_id a déjà réussi ({object_type} {object_id}) ; rien de nouveau n'a été créé.",
        ),
        (
            "Use the existing {object_type}, or send a new request_id for a new one.",
            "Utilisez le {object_type} existant, ou envoyez un nouveau request_id pour en créer un autre.",
        ),
    ),
    _e(
        "object_not_found",
        F.NOT_FOUND,
        40007,
        ("{object_type} {object_id} does not exist.", "{object_type} {object_id} n'existe pas."),
        (
            "No {object_type} with this id belongs to this ad account.",
            "Aucun {object_type} avec cet identifiant n'appartient à ce compte publicitaire.",
        ),
        (
            "Check the id, or list them with the matching /get/ endpoint.",
            "Vérifiez l'identifiant, ou listez-les avec le point d'accès /get/ correspondant.",
        ),
    ),
    _e(
        "object_deleted",
        F.INVALID,
        40002,
        ("{object_type} {object_id} is deleted.", "{object_type} {object_id} est supprimé."),
        (
            "Deleted objects, and objects inside deleted ones, cannot change.",
            "Les objets supprimés, et ceux qu'ils contiennent, ne peuvent plus changer.",
        ),
        ("Create a new one instead.", "Créez-en un nouveau."),
    ),
    _e(
        "schedule_invalid",
        F.INVALID,
        40002,
        ("Invalid schedule: {detail}.", "Programmation invalide : {detail}."),
        (
            "schedule_type, schedule_start_time and schedule_end_time do not fit together.",
            "schedule_type, schedule_start_time et schedule_end_time ne concordent pas.",
        ),
        (
            "Times are UTC 'YYYY-MM-DD HH:MM:SS'; SCHEDULE_START_END needs an end after the start.",
            "Les heures sont en UTC 'AAAA-MM-JJ HH:MM:SS' ; SCHEDULE_START_END exige une fin après le début.",
        ),
    ),
    _e(
        "post_not_authorized",
        F.INVALID,
        40002,
        (
            "Post {item_id} is not authorized for identity {identity_id}.",
            "La publication {item_id} n'est pas autorisée pour l'identité {identity_id}.",
        ),
        (
            "A Spark ad can only use a post this ad account reaches through that identity.",
            "Une Spark Ad ne peut utiliser qu'une publication accessible à ce compte via cette identité.",
        ),
        (
            "Apply the creator's code (tt_video/authorize) or pick a post from identity/video/get.",
            "Appliquez le code du créateur (tt_video/authorize) ou choisissez une publication via identity/video/get.",
        ),
    ),
    _e(
        "ad_format_mismatch",
        F.INVALID,
        40002,
        (
            "ad_format {ad_format} does not fit a {item_type} post.",
            "ad_format {ad_format} ne convient pas à une publication {item_type}.",
        ),
        (
            "Video posts run as SINGLE_VIDEO, photo carousels as CAROUSEL_ADS.",
            "Les vidéos sont diffusées en SINGLE_VIDEO, les carrousels photo en CAROUSEL_ADS.",
        ),
        ("Use ad_format {expected}.", "Utilisez ad_format {expected}."),
    ),
    _e(
        "push_needs_own_account",
        F.INVALID,
        40002,
        (
            "A new video can only be published through a TT_USER or BC_AUTH_TT identity.",
            "Une nouvelle vidéo ne peut être publiée que via une identité TT_USER ou BC_AUTH_TT.",
        ),
        (
            "Creating an ad from video_id publishes a new ads-only post on the account, which needs account access.",
            "Créer une publicité à partir de video_id publie une nouvelle publication réservée à la publicité, ce qui exige un accès au compte.",
        ),
        (
            "Link the account (TT_USER) or get Business Center access (BC_AUTH_TT), or use tiktok_item_id.",
            "Associez le compte (TT_USER) ou obtenez l'accès Business Center (BC_AUTH_TT), ou utilisez tiktok_item_id.",
        ),
    ),
    _e(
        "landing_page_invalid",
        F.INVALID,
        40002,
        (
            "landing_page_url is not a valid web address: {detail}.",
            "landing_page_url n'est pas une adresse web valide : {detail}.",
        ),
        (
            "The landing page must be an absolute http(s) URL people can open.",
            "La page de destination doit être une URL http(s) absolue accessible.",
        ),
        (
            "Send a URL such as https://example.com/offer?utm_source=tiktok.",
            "Envoyez une URL telle que https://example.com/offre?utm_source=tiktok.",
        ),
    ),
    # --- warnings: kept on an ad and returned with create/update, never refusing it ---------
    _e(
        "duration_outside_best_practice",
        F.WARNING,
        0,
        (
            "The post lasts {duration} s; Spark ads perform best between 9 and 15 s.",
            "La publication dure {duration} s ; les Spark Ads fonctionnent le mieux entre 9 et 15 s.",
        ),
        (
            "Short, authentic posts keep attention through the sponsored view.",
            "Les publications courtes et authentiques retiennent l'attention pendant la vue sponsorisée.",
        ),
        (
            "Consider a post of 9 to 15 seconds from the library.",
            "Envisagez une publication de 9 à 15 secondes de la bibliothèque.",
        ),
    ),
    _e(
        "music_not_cleared",
        F.WARNING,
        0,
        (
            'The music "{title}" is not cleared for commercial use.',
            "La musique « {title} » n'est pas autorisée pour un usage commercial.",
        ),
        (
            "Sounds from the general library may be muted or refused in ads in some regions.",
            "Les sons de la bibliothèque générale peuvent être coupés ou refusés dans les publicités selon les régions.",
        ),
        (
            "Prefer a post using commercially cleared music.",
            "Préférez une publication utilisant une musique autorisée pour un usage commercial.",
        ),
    ),
    _e(
        "authorization_ends_before_schedule",
        F.WARNING,
        0,
        (
            "The creator's authorization ends on {ends_at}, before the ad group's schedule does.",
            "L'autorisation du créateur prend fin le {ends_at}, avant la fin de la programmation du groupe d'annonces.",
        ),
        (
            "{schedule_end}; without a new code the ad stops on {ends_at}.",
            "{schedule_end_fr} ; sans nouveau code, la publicité s'arrêtera le {ends_at}.",
        ),
        (
            "Ask the creator for a longer code (60 or 365 days) and apply it before then.",
            "Demandez au créateur un code plus long (60 ou 365 jours) et appliquez-le avant cette date.",
        ),
    ),
    _e(
        "video_not_found",
        F.NOT_FOUND,
        40007,
        ("Video {video_id} does not exist.", "La vidéo {video_id} n'existe pas."),
        (
            "No video with this id was uploaded to this ad account.",
            "Aucune vidéo avec cet identifiant n'a été importée dans ce compte publicitaire.",
        ),
        (
            "Upload it with file/video/ad/upload first.",
            "Importez-la d'abord avec file/video/ad/upload.",
        ),
    ),
    _e(
        "video_file_invalid",
        F.INVALID,
        40908,
        (
            "The file is not a video sparkads can read: {detail}.",
            "Le fichier n'est pas une vidéo lisible par sparkads : {detail}.",
        ),
        (
            "Uploads must be MP4 or MOV files with a readable duration.",
            "Les fichiers importés doivent être des MP4 ou MOV dont la durée est lisible.",
        ),
        (
            "Export the video as MP4 (H.264) and upload it again.",
            "Exportez la vidéo en MP4 (H.264) et importez-la à nouveau.",
        ),
    ),
    # --- transport, auth, generic -----------------------------------------------------------
    _e(
        "access_token_missing",
        F.UNAUTHENTICATED,
        40104,
        (
            "Access token is null, you should set it in http header with key Access-Token.",
            "Le jeton d'accès est absent : envoyez-le dans l'en-tête HTTP Access-Token.",
        ),
        ("The request carries no access token.", "La requête ne contient aucun jeton d'accès."),
        (
            "Send the token printed when the account was created (Access-Token header, or Authorization: Bearer on /api/v1).",
            "Envoyez le jeton affiché à la création du compte (en-tête Access-Token, ou Authorization: Bearer sur /api/v1).",
        ),
    ),
    _e(
        "access_token_invalid",
        F.UNAUTHENTICATED,
        40105,
        ("The access token is invalid.", "Le jeton d'accès n'est pas valide."),
        ("The token is unknown or was revoked.", "Le jeton est inconnu ou a été révoqué."),
        (
            "Use a current token; operators can issue one with the sparkads CLI.",
            "Utilisez un jeton en cours de validité ; un opérateur peut en émettre un avec la CLI sparkads.",
        ),
    ),
    _e(
        "no_permission",
        F.FORBIDDEN,
        40001,
        ("This token cannot act on {what}.", "Ce jeton ne peut pas agir sur {what}."),
        (
            "Each token is scoped to one account, and this {what} is not part of it.",
            "Chaque jeton est limité à un compte, et ce {what} n'en fait pas partie.",
        ),
        (
            "Use the token of the account that owns it.",
            "Utilisez le jeton du compte qui le possède.",
        ),
    ),
    _e(
        "wrong_token_scope",
        F.FORBIDDEN,
        40001,
        (
            "This call needs a {needed} token, not a {given} token.",
            "Cet appel nécessite un jeton {needed}, pas un jeton {given}.",
        ),
        (
            "Tokens are scoped to one kind of account.",
            "Les jetons sont limités à un type de compte.",
        ),
        (
            "Call with the token of a {needed} account.",
            "Appelez avec le jeton d'un compte {needed}.",
        ),
    ),
    _e(
        "advertiser_not_found",
        F.NOT_FOUND,
        40300,
        ("Advertiser {advertiser_id} does not exist.", "L'annonceur {advertiser_id} n'existe pas."),
        ("No ad account has this id.", "Aucun compte publicitaire n'a cet identifiant."),
        ("Check advertiser_id.", "Vérifiez advertiser_id."),
    ),
    _e(
        "invalid_parameter",
        F.INVALID,
        40002,
        ("Invalid value for {field}: {detail}", "Valeur invalide pour {field} : {detail}"),
        (
            "The request does not match what this endpoint accepts.",
            "La requête ne correspond pas à ce qu'accepte ce point d'accès.",
        ),
        (
            "Fix {field} and send the request again; /docs lists every parameter.",
            "Corrigez {field} et renvoyez la requête ; /docs liste chaque paramètre.",
        ),
    ),
    _e(
        "value_too_long",
        F.INVALID,
        40002,
        (
            "{field} is too long: at most {limit} characters.",
            "{field} est trop long : {limit} caractères au plus.",
        ),
        (
            "The value has {length} characters; this field stores at most {limit}.",
            "La valeur compte {length} caractères ; ce champ en garde {limit} au plus.",
        ),
        (
            "Shorten {field} to {limit} characters or fewer and send the request again.",
            "Raccourcissez {field} à {limit} caractères au plus et renvoyez la requête.",
        ),
    ),
    _e(
        "value_out_of_range",
        F.INVALID,
        40002,
        (
            "{field} is out of range: it must lie between {minimum} and {maximum}.",
            "{field} est hors limites : il doit être compris entre {minimum} et {maximum}.",
        ),
        (
            "The number {value} is beyond what this field stores.",
            "Le nombre {value} dépasse ce que ce champ peut garder.",
        ),
        (
            "Send a value between {minimum} and {maximum}.",
            "Envoyez une valeur comprise entre {minimum} et {maximum}.",
        ),
    ),
    _e(
        "value_not_storable",
        F.INVALID,
        40002,
        (
            "{field} contains a character that cannot be stored.",
            "{field} contient un caractère qui ne peut pas être enregistré.",
        ),
        (
            "Text cannot contain the NUL character (U+0000).",
            "Un texte ne peut pas contenir le caractère NUL (U+0000).",
        ),
        (
            "Remove the NUL characters from {field} and send the request again.",
            "Retirez les caractères NUL de {field} et renvoyez la requête.",
        ),
    ),
    _e(
        "too_many_ids",
        F.INVALID,
        40011,
        (
            "Too many ids in {field}: at most {limit}.",
            "Trop d'identifiants dans {field} : {limit} au plus.",
        ),
        (
            "Lists of ids are capped per request.",
            "Les listes d'identifiants sont plafonnées par requête.",
        ),
        ("Split the request.", "Découpez la requête."),
    ),
    _e(
        "sandbox_only",
        F.NOT_FOUND,
        40008,
        (
            "This endpoint exists only in the sandbox.",
            "Ce point d'accès n'existe que dans le bac à sable.",
        ),
        (
            "The server was not started with --sandbox.",
            "Le serveur n'a pas été démarré avec --sandbox.",
        ),
        (
            "Start the server with `sparkads serve --sandbox` to move the test clock.",
            "Démarrez le serveur avec `sparkads serve --sandbox` pour avancer l'horloge de test.",
        ),
    ),
    _e(
        "workers_need_redis",
        F.INVALID,
        40002,
        (
            "{workers} workers need shared counters and a shared clock.",
            "{workers} processus demandent des compteurs et une horloge partagés.",
        ),
        (
            "Each worker keeps budgets and frequency caps in its own memory unless Redis holds "
            "them (and a sandbox clock cannot be shared): N workers would let a budget be spent "
            "N times. {detail}",
            "Chaque processus garde budgets et plafonds de répétition dans sa propre mémoire si "
            "Redis ne les tient pas (et une horloge de bac à sable ne se partage pas) : N "
            "processus laisseraient dépenser un budget N fois. {detail}",
        ),
        (
            "Give --redis-url (or SPARKADS_REDIS_URL), without --sandbox, or serve with "
            "--workers 1.",
            "Indiquez --redis-url (ou SPARKADS_REDIS_URL), sans --sandbox, ou servez avec "
            "--workers 1.",
        ),
    ),
    _e(
        "route_not_found",
        F.NOT_FOUND,
        40400,
        ("No endpoint at {method} {path}.", "Aucun point d'accès à {method} {path}."),
        (
            "The path or method is not part of this API.",
            "Le chemin ou la méthode ne fait pas partie de cette API.",
        ),
        (
            "Check the path against /docs (TikTok paths end with a slash).",
            "Vérifiez le chemin dans /docs (les chemins TikTok se terminent par une barre oblique).",
        ),
    ),
    _e(
        "internal_error",
        F.INTERNAL,
        50000,
        ("Internal error; nothing was saved.", "Erreur interne ; rien n'a été enregistré."),
        (
            "An unexpected failure happened on the server (request {request_id}).",
            "Une défaillance inattendue s'est produite sur le serveur (requête {request_id}).",
        ),
        (
            "Retry; if it persists, report the request id.",
            "Réessayez ; si le problème persiste, signalez l'identifiant de requête.",
        ),
    ),
    # --- audiences and creator marketplace (issue 8) ------------------------------------------
    _e(
        "audience_file_invalid",
        F.INVALID,
        40002,
        (
            "The audience file cannot be used: {detail}.",
            "Le fichier d'audience est inutilisable : {detail}.",
        ),
        (
            "A customer file holds SHA-256 hashed identifiers: 64 hexadecimal digits, one per line or per CSV cell, in UTF-8 text.",
            "Un fichier client contient des identifiants hachés en SHA-256 : 64 chiffres hexadécimaux, un par ligne ou par cellule CSV, en texte UTF-8.",
        ),
        (
            "Hash each identifier with SHA-256 after trimming and lower-casing it, write one hash per line, then upload the file again.",
            "Hachez chaque identifiant en SHA-256 après l'avoir nettoyé et mis en minuscules, écrivez un hachage par ligne, puis renvoyez le fichier.",
        ),
    ),
    _e(
        "audience_file_not_found",
        F.NOT_FOUND,
        40007,
        ("Unknown audience file: {file_paths}.", "Fichier d'audience inconnu : {file_paths}."),
        (
            "No file was uploaded to this ad account under this path.",
            "Aucun fichier n'a été envoyé à ce compte publicitaire sous ce chemin.",
        ),
        (
            "Upload the file with dmp/custom_audience/file/upload/ and use the file_path it returns.",
            "Envoyez le fichier avec dmp/custom_audience/file/upload/ et utilisez le file_path renvoyé.",
        ),
    ),
    _e(
        "audience_in_use",
        F.INVALID,
        40002,
        (
            "Audience {audience_id} is used by {by}.",
            "L'audience {audience_id} est utilisée par {by}.",
        ),
        (
            "Deleting it would change who that ad group or lookalike reaches.",
            "La supprimer changerait qui cet ad group ou ce lookalike atteint.",
        ),
        (
            "Remove it from the ad group's targeting (adgroup/update/) or delete the lookalike "
            "first (in the same call), then delete the audience.",
            "Retirez-la du ciblage de l'ad group (adgroup/update/) ou supprimez d'abord le "
            "lookalike (dans le même appel), puis supprimez l'audience.",
        ),
    ),
    _e(
        "calculate_type_not_supported",
        F.INVALID,
        40002,
        (
            "calculate_type {calculate_type} is not supported.",
            "Le calculate_type {calculate_type} n'est pas pris en charge.",
        ),
        (
            "sparkads matches viewers by the SHA-256 of their identifier only; MD5 hashes would match nobody.",
            "sparkads ne rapproche les spectateurs que par le SHA-256 de leur identifiant ; des hachages MD5 ne correspondraient à personne.",
        ),
        (
            "Hash the identifiers with SHA-256 and use a *_SHA256 calculate_type (e.g. EMAIL_SHA256).",
            "Hachez les identifiants en SHA-256 et utilisez un calculate_type *_SHA256 (par exemple EMAIL_SHA256).",
        ),
    ),
    _e(
        "engagement_rule_invalid",
        F.INVALID,
        40002,
        (
            "The engagement rule is invalid: {detail}.",
            "La règle d'interaction est invalide : {detail}.",
        ),
        (
            "An engagement audience counts events (PLAY 6S, CLICK, BUSINESS ACCOUNT ENGAGEMENT, LIKE, COMMENT, SHARE, FOLLOW...) on this ad account's ad groups or posts.",
            "Une audience d'interaction compte des événements (PLAY 6S, CLICK, BUSINESS ACCOUNT ENGAGEMENT, LIKE, COMMENT, SHARE, FOLLOW...) sur les groupes d'annonces ou publications de ce compte.",
        ),
        (
            "Name supported events and ids of this ad account's ad groups (ENGAGEMENT) or posts (ENGAGEMENT_ORGANIC_VIDEO).",
            "Indiquez des événements pris en charge et des identifiants de groupes d'annonces (ENGAGEMENT) ou de publications (ENGAGEMENT_ORGANIC_VIDEO) de ce compte.",
        ),
    ),
    _e(
        "lookalike_seed_too_small",
        F.INVALID,
        40002,
        (
            "Audience {audience_id} has too few known viewers to find lookalikes ({size}).",
            "L'audience {audience_id} compte trop peu de spectateurs connus pour trouver des profils similaires ({size}).",
        ),
        (
            "A lookalike needs at least {minimum} seed viewers whose features are known.",
            "Une audience similaire nécessite au moins {minimum} spectateurs de départ dont les caractéristiques sont connues.",
        ),
        (
            "Use a larger source audience, or refresh it once more viewers have been matched.",
            "Utilisez une audience source plus grande, ou actualisez-la quand davantage de spectateurs auront été reconnus.",
        ),
    ),
    _e(
        "lookalike_source_not_allowed",
        F.INVALID,
        40002,
        (
            "Audience {audience_id} cannot be the source of a lookalike.",
            "L'audience {audience_id} ne peut pas servir de source à une audience similaire.",
        ),
        (
            "It is itself a lookalike; lookalikes of lookalikes drift away from the real customers.",
            "C'est déjà une audience similaire ; des similaires de similaires s'éloignent des vrais clients.",
        ),
        (
            "Use the customer file or engagement audience the lookalike was built from.",
            "Utilisez l'audience fichier client ou d'interaction à partir de laquelle la similaire a été créée.",
        ),
    ),
    _e(
        "creator_profile_not_found",
        F.NOT_FOUND,
        40007,
        (
            "Creator {creator_id} is not in the marketplace.",
            "Le créateur {creator_id} n'est pas dans la place de marché.",
        ),
        (
            "The creator has not opted in with a marketplace profile, or has left it.",
            "Le créateur n'a pas rejoint la place de marché avec un profil, ou l'a quittée.",
        ),
        (
            "Search creators with GET /api/v1/marketplace/creators; a creator opts in with PUT /api/v1/marketplace/profile.",
            "Cherchez des créateurs avec GET /api/v1/marketplace/creators ; un créateur s'inscrit avec PUT /api/v1/marketplace/profile.",
        ),
    ),
    _e(
        "collaboration_not_found",
        F.NOT_FOUND,
        40007,
        (
            "No collaboration {collaboration_id}.",
            "Aucune collaboration {collaboration_id}.",
        ),
        (
            "The id is wrong, or the collaboration belongs to another creator or ad account.",
            "L'identifiant est erroné, ou la collaboration appartient à un autre créateur ou compte publicitaire.",
        ),
        (
            "List your collaborations with GET /api/v1/marketplace/collaborations.",
            "Listez vos collaborations avec GET /api/v1/marketplace/collaborations.",
        ),
    ),
    _e(
        "collaboration_closed",
        F.CONFLICT,
        40002,
        (
            "The collaboration is already {status}.",
            "La collaboration est déjà à l'état {status}.",
        ),
        (
            "Only an invitation still waiting (INVITED) can be accepted, declined or cancelled.",
            "Seule une invitation en attente (INVITED) peut être acceptée, refusée ou annulée.",
        ),
        (
            "Send a new invitation if both sides still want to work together.",
            "Envoyez une nouvelle invitation si les deux parties souhaitent toujours collaborer.",
        ),
    ),
    _e(
        "collaboration_post_required",
        F.INVALID,
        40002,
        (
            "Accepting this collaboration needs the post to authorize.",
            "Accepter cette collaboration nécessite la publication à autoriser.",
        ),
        (
            "The brand sent a brief: the creator publishes a post for it, then names it on acceptance.",
            "La marque a envoyé un brief : le créateur publie une publication pour celui-ci, puis l'indique en acceptant.",
        ),
        (
            "Publish the post, then accept again giving its item_id.",
            "Publiez la publication, puis acceptez de nouveau en indiquant son item_id.",
        ),
    ),
    # --- traffic: what sparkads knows about viewers comes from the traffic it received --------
    _e(
        "forecast_no_basis",
        F.CONFLICT,
        40002,
        (
            "Not enough traffic to forecast: {requests} sampled feed requests in the last {days} days.",
            "Pas assez de trafic pour une prévision : {requests} requêtes du fil échantillonnées sur les {days} derniers jours.",
        ),
        (
            "Forecasts replay the feed requests this server actually received; at least {minimum} sampled requests are needed, and sparkads never fills the gap with invented viewers.",
            "Les prévisions rejouent les requêtes du fil réellement reçues par ce serveur ; il en faut au moins {minimum} échantillonnées, et sparkads ne comble jamais le manque avec des spectateurs inventés.",
        ),
        (
            "Plug your feed in (POST /api/v1/feed/decisions) and try again once it has served traffic, or run the sandbox demo (sparkads demo) to try forecasts on simulated traffic.",
            "Branchez votre fil (POST /api/v1/feed/decisions) et réessayez quand il aura servi du trafic, ou lancez la démo du bac à sable (sparkads demo) pour essayer les prévisions sur du trafic simulé.",
        ),
    ),
    _e(
        "viewer_attribute_clipped",
        F.WARNING,
        0,
        (
            "{field} = {value} is not in the catalogue: it was not stored.",
            "{field} = {value} n'est pas dans le catalogue : la valeur n'a pas été enregistrée.",
        ),
        (
            "The traffic log and viewer profiles keep only catalogue values (countries, regions, languages, interest and behaviour categories), at most 8 interests and 4 behaviours.",
            "Le journal de trafic et les profils de spectateurs ne gardent que les valeurs du catalogue (pays, régions, langues, catégories d'intérêts et de comportements), au plus 8 intérêts et 4 comportements.",
        ),
        (
            "Send catalogue ids (GET /open_api/v1.3/tool/region/, tool/language/, tool/interest_category/); the decision itself was made as usual.",
            "Envoyez des identifiants du catalogue (GET /open_api/v1.3/tool/region/, tool/language/, tool/interest_category/) ; la décision a été prise normalement.",
        ),
    ),
    # --- security: sandbox limits, body limits, throttles ------------------------------------
    _e(
        "not_a_demo_account",
        F.FORBIDDEN,
        40001,
        (
            "{account} is not a demo account.",
            "{account} n'est pas un compte de démonstration.",
        ),
        (
            "Only the accounts seeded by `sparkads demo` (or created with --demo) open without a token, even in the sandbox.",
            "Seuls les comptes créés par `sparkads demo` (ou avec --demo) s'ouvrent sans jeton, même dans le bac à sable.",
        ),
        (
            "Sign in with the account's access token, or pick one of the listed demo accounts.",
            "Connectez-vous avec le jeton d'accès du compte, ou choisissez l'un des comptes de démonstration proposés.",
        ),
    ),
    _e(
        "role_not_allowed",
        F.FORBIDDEN,
        40001,
        (
            "The {role} role cannot do this: it needs {needed}.",
            "Le rôle {role} ne permet pas cette action : il faut {needed}.",
        ),
        (
            "Business Center roles: analysts read, operators also change campaigns, ads and codes, admins also manage people and tokens.",
            "Rôles du Business Center : les analystes consultent, les opérateurs modifient aussi campagnes, annonces et codes, les administrateurs gèrent aussi les personnes et les jetons.",
        ),
        (
            "Ask an admin of the Business Center for a role that allows it, or for a token with that role.",
            "Demandez à un administrateur du Business Center un rôle qui le permet, ou un jeton avec ce rôle.",
        ),
    ),
    _e(
        "password_sign_in_failed",
        F.UNAUTHENTICATED,
        40105,
        (
            "The email or the password is wrong.",
            "L'adresse e-mail ou le mot de passe est incorrect.",
        ),
        (
            "No account has this email, or its password is another one.",
            "Aucun compte n'a cette adresse, ou son mot de passe est différent.",
        ),
        (
            "Check both, or ask for a password reset link.",
            "Vérifiez les deux, ou demandez un lien de réinitialisation du mot de passe.",
        ),
    ),
    _e(
        "reset_link_invalid",
        F.INVALID,
        40002,
        (
            "This password reset link cannot be used.",
            "Ce lien de réinitialisation du mot de passe n'est pas utilisable.",
        ),
        (
            "It was already used, it expired (links last one hour), or it was mistyped.",
            "Il a déjà servi, il a expiré (les liens durent une heure), ou il a été mal recopié.",
        ),
        (
            "Ask for a new link from the sign-in page.",
            "Demandez un nouveau lien depuis la page de connexion.",
        ),
    ),
    _e(
        "body_too_large",
        F.TOO_LARGE,
        40002,
        (
            "The request body is larger than {limit} bytes.",
            "Le corps de la requête dépasse {limit} octets.",
        ),
        (
            "{route} accepts at most {limit} bytes; the body was refused before it was read.",
            "{route} accepte au plus {limit} octets ; le corps a été refusé avant d'être lu.",
        ),
        (
            "Send smaller batches or a smaller file.",
            "Envoyez des lots plus petits ou un fichier plus petit.",
        ),
    ),
    _e(
        "too_many_attempts",
        F.RATE_LIMITED,
        40100,
        (
            "Too many {action} attempts; try again in {retry_after} seconds.",
            "Trop de tentatives ({action}) ; réessayez dans {retry_after} secondes.",
        ),
        (
            "At most {limit} {action} attempts are allowed per {window} seconds, per account and per address.",
            "Au plus {limit} tentatives ({action}) sont permises par tranche de {window} secondes, par compte et par adresse.",
        ),
        (
            "Wait, then try again.",
            "Patientez, puis réessayez.",
        ),
    ),
    # --- issue 20 part B: operations (metrics, audit log, operator console) ----------------
    _e(
        "metrics_forbidden",
        F.FORBIDDEN,
        40001,
        ("The metrics are not readable from here.", "Les métriques ne sont pas lisibles d'ici."),
        (
            "With a metrics token set (SPARKADS_METRICS_TOKEN), /metrics needs it; with none, it answers only clients on loopback.",
            "Si un jeton des métriques est défini (SPARKADS_METRICS_TOKEN), /metrics l'exige ; sinon, il ne répond qu'aux clients en boucle locale.",
        ),
        (
            "Send the metrics token as 'Authorization: Bearer <token>' (SPARKADS_METRICS_TOKEN), or scrape from the server itself.",
            "Envoyez le jeton des métriques dans « Authorization: Bearer <jeton> » (SPARKADS_METRICS_TOKEN), ou collectez depuis le serveur lui-même.",
        ),
    ),
    # --- issue 20A: ad review (reasons shown to advertisers), takedowns and appeals -----------
    _e(
        "post_non_compliant",
        F.CONFLICT,
        40002,
        (
            "The post was taken down as non-compliant.",
            "La publication a été retirée car non conforme.",
        ),
        (
            "A platform operator took it down for breaking the content policy: {reason}.",
            "Un opérateur de la plateforme l'a retirée pour non-respect du règlement : {reason}.",
        ),
        (
            "Use another post; the creator can appeal the takedown in Creator Studio.",
            "Utilisez une autre publication ; le créateur peut contester le retrait dans Creator Studio.",
        ),
    ),
    _e(
        "review_prohibited_word",
        F.WARNING,
        40002,
        (
            "The caption contains a prohibited word: {word}.",
            "La légende contient un mot interdit : {word}.",
        ),
        (
            'The platform\'s content policy does not allow "{word}" in sponsored posts.',
            "Le règlement de la plateforme n'autorise pas « {word} » dans les publications sponsorisées.",
        ),
        (
            "Sponsor another post whose caption does not use it.",
            "Sponsorisez une autre publication dont la légende ne l'emploie pas.",
        ),
    ),
    _e(
        "review_prohibited_category",
        F.WARNING,
        40002,
        (
            "The post belongs to a prohibited category: {category}.",
            "La publication relève d'une catégorie interdite : {category}.",
        ),
        (
            'Its caption mentions "{word}", and {category} cannot be advertised on this platform.',
            "Sa légende mentionne « {word} », et la catégorie {category} ne peut pas faire l'objet de publicité sur cette plateforme.",
        ),
        (
            "Advertise something outside this category.",
            "Faites la publicité d'autre chose, hors de cette catégorie.",
        ),
    ),
    _e(
        "review_blocked_domain",
        F.WARNING,
        40002,
        (
            "The landing page's domain {domain} is blocked.",
            "Le domaine de la page de destination, {domain}, est bloqué.",
        ),
        (
            "The platform does not send people to {domain}.",
            "La plateforme n'envoie personne vers {domain}.",
        ),
        (
            "Use a landing page on another domain.",
            "Utilisez une page de destination sur un autre domaine.",
        ),
    ),
    _e(
        "review_domain_not_allowed",
        F.WARNING,
        40002,
        (
            "The landing page's domain {domain} is not on the allowed list.",
            "Le domaine de la page de destination, {domain}, ne figure pas dans la liste autorisée.",
        ),
        (
            "This platform sends people only to domains its operators allowed.",
            "Cette plateforme n'envoie vers l'extérieur que sur les domaines autorisés par ses opérateurs.",
        ),
        (
            "Use a landing page on an allowed domain, or ask the platform to allow yours.",
            "Utilisez une page sur un domaine autorisé, ou demandez à la plateforme d'autoriser le vôtre.",
        ),
    ),
    _e(
        "review_needs_adult_targeting",
        F.WARNING,
        40002,
        (
            "{category} ads must target people aged 18 and over only.",
            "Les annonces de la catégorie {category} doivent cibler uniquement les 18 ans et plus.",
        ),
        (
            'The caption mentions "{word}" ({category}), and the ad group can reach people under 18.',
            "La légende mentionne « {word} » ({category}), et le groupe d'annonces peut toucher des moins de 18 ans.",
        ),
        (
            "Choose only the age groups from 18 up in the ad group's targeting, then edit the ad to send it for review again.",
            "Choisissez uniquement les tranches d'âge à partir de 18 ans dans le ciblage du groupe d'annonces, puis modifiez l'annonce pour la renvoyer en examen.",
        ),
    ),
    _e(
        "review_duration_not_allowed",
        F.WARNING,
        40002,
        (
            "The post lasts {duration} s, outside the allowed {low} to {high} s.",
            "La publication dure {duration} s, hors de la plage autorisée de {low} à {high} s.",
        ),
        (
            "The platform's policy sets how long a sponsored video may last.",
            "Le règlement de la plateforme fixe la durée d'une vidéo sponsorisée.",
        ),
        (
            "Sponsor a post whose length is within the range.",
            "Sponsorisez une publication dont la durée est dans la plage.",
        ),
    ),
    _e(
        "review_format_not_allowed",
        F.WARNING,
        40002,
        (
            "Posts in the {format} format cannot be sponsored here.",
            "Les publications au format {format} ne peuvent pas être sponsorisées ici.",
        ),
        (
            "The platform's policy excludes this format from ads.",
            "Le règlement de la plateforme exclut ce format des annonces.",
        ),
        (
            "Sponsor a post in another format.",
            "Sponsorisez une publication d'un autre format.",
        ),
    ),
    _e(
        "review_misleading",
        F.WARNING,
        40002,
        ("The ad makes misleading claims.", "L'annonce contient des affirmations trompeuses."),
        (
            "A reviewer found claims the post cannot back up. {note}",
            "Un examinateur a relevé des affirmations que la publication ne peut pas étayer. {note}",
        ),
        (
            "Sponsor a post whose claims are accurate.",
            "Sponsorisez une publication dont les affirmations sont exactes.",
        ),
    ),
    _e(
        "review_inappropriate",
        F.WARNING,
        40002,
        ("The ad's content is inappropriate.", "Le contenu de l'annonce est inapproprié."),
        (
            "A reviewer found content the platform does not sponsor. {note}",
            "Un examinateur a relevé un contenu que la plateforme ne sponsorise pas. {note}",
        ),
        (
            "Sponsor another post.",
            "Sponsorisez une autre publication.",
        ),
    ),
    _e(
        "review_intellectual_property",
        F.WARNING,
        40002,
        (
            "The ad may infringe someone else's rights.",
            "L'annonce pourrait porter atteinte aux droits d'autrui.",
        ),
        (
            "A reviewer found material (music, images, brands) used without the rights. {note}",
            "Un examinateur a relevé des éléments (musique, images, marques) utilisés sans droits. {note}",
        ),
        (
            "Sponsor a post whose content you or the creator hold the rights to.",
            "Sponsorisez une publication dont vous ou le créateur détenez les droits.",
        ),
    ),
    _e(
        "review_low_quality",
        F.WARNING,
        40002,
        ("The ad's quality is too low.", "La qualité de l'annonce est insuffisante."),
        (
            "A reviewer found the video blurry, cut off or unreadable. {note}",
            "Un examinateur a trouvé la vidéo floue, coupée ou illisible. {note}",
        ),
        (
            "Sponsor a clearer post.",
            "Sponsorisez une publication plus nette.",
        ),
    ),
    _e(
        "ad_not_in_review",
        F.CONFLICT,
        40002,
        ("Ad {ad_id} is not waiting for review.", "L'annonce {ad_id} n'attend pas d'examen."),
        (
            "It was already approved or rejected, or it was deleted.",
            "Elle a déjà été approuvée ou refusée, ou elle a été supprimée.",
        ),
        (
            "Reload the review queue; an edited ad comes back to it by itself.",
            "Rechargez la file d'examen ; une annonce modifiée y revient d'elle-même.",
        ),
    ),
    _e(
        "review_reason_required",
        F.INVALID,
        40002,
        (
            "A rejection needs at least one reason.",
            "Un refus demande au moins un motif.",
        ),
        (
            "The advertiser is shown why the ad was rejected; known reasons: {known}.",
            "L'annonceur voit pourquoi l'annonce a été refusée ; motifs connus : {known}.",
        ),
        (
            "Pick one or more reasons, with a note if it helps.",
            "Choisissez un ou plusieurs motifs, avec une note si cela aide.",
        ),
    ),
    _e(
        "policy_rule_invalid",
        F.INVALID,
        40002,
        ("This policy rule is not valid: {detail}.", "Cette règle n'est pas valide : {detail}."),
        (
            'Rule kinds: {kinds}. Categories are written "name: word, word"; durations in seconds; formats as post formats.',
            "Types de règles : {kinds}. Les catégories s'écrivent « nom : mot, mot » ; les durées en secondes ; les formats comme ceux des publications.",
        ),
        (
            "Correct the value and try again (`sparkads policy --help`).",
            "Corrigez la valeur et réessayez (`sparkads policy --help`).",
        ),
    ),
    _e(
        "appeal_not_possible",
        F.CONFLICT,
        40002,
        (
            "This post cannot be appealed.",
            "Cette publication ne peut pas faire l'objet d'un recours.",
        ),
        (
            "Only a post taken down can be appealed, and only once while an appeal is pending (this one: {state}).",
            "Seule une publication retirée peut faire l'objet d'un recours, une seule fois tant qu'un recours est en cours (ici : {state}).",
        ),
        (
            "Wait for the answer to the pending appeal.",
            "Attendez la réponse au recours en cours.",
        ),
    ),
    # --- developer apps and OAuth (issue 15) ---------------------------------------------------
    _e(
        "app_credentials_invalid",
        F.UNAUTHENTICATED,
        40101,
        (
            "The app_id and secret do not match a registered app.",
            "L'app_id et le secret ne correspondent à aucune application enregistrée.",
        ),
        (
            "The app is unknown, disabled, or the secret is not the one shown when it was registered.",
            "L'application est inconnue ou désactivée, ou le secret n'est pas celui affiché à son enregistrement.",
        ),
        (
            "Send the app_id and secret printed by `sparkads apps create`; ask an operator to register the app again if the secret is lost.",
            "Envoyez l'app_id et le secret affichés par `sparkads apps create` ; demandez à un opérateur de réenregistrer l'application si le secret est perdu.",
        ),
    ),
    _e(
        "oauth_code_invalid",
        F.INVALID,
        40110,
        (
            "The authorization code is invalid: it is unknown, already used or expired.",
            "Le code d'autorisation n'est pas valide : il est inconnu, déjà utilisé ou expiré.",
        ),
        (
            "An auth_code works once, for the app it was issued to, within {minutes} minutes of the approval.",
            "Un auth_code ne sert qu'une fois, pour l'application à laquelle il a été remis, dans les {minutes} minutes suivant l'approbation.",
        ),
        (
            "Send the advertiser through the authorization page again and exchange the new code at once.",
            "Renvoyez l'annonceur sur la page d'autorisation et échangez aussitôt le nouveau code.",
        ),
    ),
    _e(
        "redirect_uri_not_registered",
        F.INVALID,
        40002,
        (
            "The redirect_uri is not one of this app's redirect URIs.",
            "La redirect_uri ne fait pas partie des URI de redirection de cette application.",
        ),
        (
            "An authorization is only sent back to an address registered with the app: {redirect_uri} is not.",
            "Une autorisation n'est renvoyée qu'à une adresse enregistrée pour l'application : {redirect_uri} ne l'est pas.",
        ),
        (
            "Use a registered redirect URI, or ask an operator to add this one (`sparkads apps create --redirect-uri …`).",
            "Utilisez une URI enregistrée, ou demandez à un opérateur d'ajouter celle-ci (`sparkads apps create --redirect-uri …`).",
        ),
    ),
    _e(
        "oauth_person_required",
        F.FORBIDDEN,
        40001,
        (
            "Only a person signed in with an email and a password can authorize an app.",
            "Seule une personne connectée avec un e-mail et un mot de passe peut autoriser une application.",
        ),
        (
            "This web session was opened with a token or a demo account, which belongs to no person and no role to hand on.",
            "Cette session web a été ouverte avec un jeton ou un compte de démonstration, qui n'appartient à aucune personne ni à aucun rôle à transmettre.",
        ),
        (
            "Sign out, sign in with your email and password, then open the authorization link again.",
            "Déconnectez-vous, connectez-vous avec votre e-mail et votre mot de passe, puis rouvrez le lien d'autorisation.",
        ),
    ),
    _e(
        "oauth_one_business_center",
        F.INVALID,
        40002,
        (
            "Approve ad accounts of one Business Center at a time.",
            "Approuvez les comptes publicitaires d'un seul Business Center à la fois.",
        ),
        (
            "The chosen ad accounts belong to {count} Business Centers; one access token acts for one.",
            "Les comptes choisis appartiennent à {count} Business Centers ; un jeton d'accès agit pour un seul.",
        ),
        (
            "Pick ad accounts of one Business Center, then authorize the app again for the others.",
            "Choisissez des comptes d'un seul Business Center, puis autorisez à nouveau l'application pour les autres.",
        ),
    ),
    # --- issue 17: the web app's own pages -------------------------------------------------------
    _e(
        "page_not_found",
        F.NOT_FOUND,
        40400,
        ("There is no page at {path}.", "Il n'y a pas de page à l'adresse {path}."),
        (
            "The address is mistyped, or the page was moved or removed.",
            "L'adresse est mal saisie, ou la page a été déplacée ou supprimée.",
        ),
        (
            "Go back, or start again from the home page.",
            "Revenez en arrière, ou repartez de la page d'accueil.",
        ),
    ),
    # issue 19 A: event intake
    _e(
        "too_many_events",
        F.INVALID,
        40011,
        (
            "Too many events in one batch: {count}, at most {limit}.",
            "Trop d'événements dans un lot : {count}, {limit} au plus.",
        ),
        (
            "A batch is stored in one transaction and answered event by event, so its size is "
            "capped; the whole batch was refused and nothing of it was stored.",
            "Un lot est enregistré en une transaction et la réponse détaille chaque événement, "
            "sa taille est donc plafonnée ; tout le lot a été refusé et rien n'en a été enregistré.",
        ),
        (
            "Send the events again in batches of at most {limit}.",
            "Renvoyez les événements par lots de {limit} au plus.",
        ),
    ),
    # issue 15: creative portfolios and pixels
    _e(
        "portfolio_not_found",
        F.NOT_FOUND,
        40002,
        (
            "Creative portfolio {portfolio_id} does not exist in this ad account.",
            "Le portfolio créatif {portfolio_id} n'existe pas dans ce compte publicitaire.",
        ),
        (
            "No portfolio with this id was created in this ad account.",
            "Aucun portfolio portant cet identifiant n'a été créé dans ce compte publicitaire.",
        ),
        (
            "List the ad account's portfolios with creative/portfolio/list/ and use one of "
            "their ids.",
            "Listez les portfolios du compte avec creative/portfolio/list/ et utilisez l'un de "
            "leurs identifiants.",
        ),
    ),
    _e(
        "pixel_not_found",
        F.NOT_FOUND,
        40002,
        (
            "Pixel {pixel} does not exist in this ad account.",
            "Le pixel {pixel} n'existe pas dans ce compte publicitaire.",
        ),
        (
            "No pixel with this id or code was created in this ad account.",
            "Aucun pixel portant cet identifiant ou ce code n'a été créé dans ce compte "
            "publicitaire.",
        ),
        (
            "List the ad account's pixels with pixel/list/, or create one with pixel/create/.",
            "Listez les pixels du compte avec pixel/list/, ou créez-en un avec pixel/create/.",
        ),
    ),
    _e(
        "pixel_event_not_tracked",
        F.INVALID,
        40002,
        (
            "Pixel {pixel} does not track the event {event}.",
            "Le pixel {pixel} ne suit pas l'événement {event}.",
        ),
        (
            "A pixel counts only the events added to it; this one tracks: {tracked}.",
            "Un pixel ne compte que les événements qui lui ont été ajoutés ; celui-ci suit : "
            "{tracked}.",
        ),
        (
            "Add the event to the pixel with pixel/event/create/, or name one it tracks.",
            "Ajoutez l'événement au pixel avec pixel/event/create/, ou nommez-en un qu'il suit.",
        ),
    ),
    _e(
        "pixel_event_exists",
        F.CONFLICT,
        40002,
        (
            "Pixel {pixel} already tracks the event {event}.",
            "Le pixel {pixel} suit déjà l'événement {event}.",
        ),
        (
            "A pixel tracks each event type once, so its statistics count each event once.",
            "Un pixel suit chaque type d'événement une seule fois, pour que ses statistiques "
            "comptent chaque événement une fois.",
        ),
        (
            "Keep the existing event (pixel/list/ shows it), or track another event type.",
            "Gardez l'événement existant (pixel/list/ l'affiche), ou suivez un autre type "
            "d'événement.",
        ),
    ),
]

CATALOGUE: dict[str, ErrorSpec] = {spec.code: spec for spec in _SPECS}

R15_CODES = (
    "video_unavailable",
    "auth_code_expired",
    "not_public_video",
    "carousel_duet_not_supported",
    "auth_code_format_error",
)


def negotiate_language(accept_language: str | None) -> str:
    """Pick 'fr' or 'en' from an Accept-Language header, honouring q-values; English by default."""
    best, best_q = "en", -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best
