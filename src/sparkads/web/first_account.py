"""Ads Manager → first run: a Business Center user signed in before any ad account exists is
brought here (not to an error) by every Ads Manager page that needs one: the page is shown at
/ads, the Ads Manager's home (web.dashboard), and its form is sent to /ads/first-account. An
admin of the Business Center opens the first ad account (name, currency, time zone) through
services.accounts, audited as theirs; anyone else reads how an admin or an operator attaches
one."""

from __future__ import annotations

from zoneinfo import available_timezones

from fastapi.responses import Response

from sparkads.accounts.models import Role, TokenScope
from sparkads.errors import SparkadsError
from sparkads.services import accounts
from sparkads.web.forms import Form, FormDep
from sparkads.web.i18n import N_
from sparkads.web.problems import explain, invalid_field
from sparkads.web.routing import shows_errors_on, web_router
from sparkads.web.session import FIRST_ACCOUNT, Web, WebDep

router = web_router()


def _may_open(web: Web) -> bool:
    user = web.require_user()
    principal = user.principal
    return (
        principal.scope is TokenScope.BUSINESS_CENTER
        and principal.role is Role.ADMIN
        and principal.advertisers is None
    )


def first_account_page(
    web: Web, error: SparkadsError | None = None, form: Form | None = None
) -> Response:
    user = web.require_user()
    if not user.is_advertiser or user.current is not None:  # nothing to open here
        return web.redirect(user.home)
    values = form.values() if form else {}
    return web.render(
        "ads/first_account.html", status=error.spec.http_status if error else 200,
        section="first-account", may_open=_may_open(web), bc_id=user.principal.subject_id,
        currencies=accounts.CURRENCIES, zones=sorted(available_timezones()),
        account_name=values.get("name", ""), currency=values.get("currency", "EUR"),
        timezone=values.get("timezone", "Europe/Paris"),
        error=explain(error, web.lang) if error else None, invalid=invalid_field(error),
    )  # fmt: skip


@router.get(FIRST_ACCOUNT)
def show(web: WebDep) -> Response:
    return first_account_page(web)


def _refused(web: Web, error: SparkadsError, form: Form) -> Response:
    return first_account_page(web, error, form)


@router.post(FIRST_ACCOUNT)
@shows_errors_on(_refused)
def open_account(web: WebDep, form: FormDep) -> Response:
    """Open the Business Center's first ad account, then its dashboard."""
    user = web.require_user()
    opened = accounts.open_ad_account(
        web.uow, web.context.clock, user.principal, name=form.get("name"),
        currency=form.get("currency"), timezone=form.get("timezone"),
    )  # fmt: skip
    web.flash(N_("Ad account “%(name)s” opened: start with a campaign."), name=opened.name)
    return web.redirect("/ads")
