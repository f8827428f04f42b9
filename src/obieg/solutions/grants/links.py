"""Signed links a client uses without an account: accept the contract, enter a measurement.

Each token names its record and what must still hold for it to work (the
contract still awaiting signature, the measurement still empty); it is signed
with the site's secret and expires. A used or outdated link says so and
changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _

from obieg.core.customer_links import CustomerLink, LinkInvalid
from obieg.core.errors import ApplicationError
from obieg.solutions.grants.models import GrantProject, Measurement

CONTRACT_LINK = CustomerLink(
    salt="grants.contract_acceptance",
    max_age=timedelta(days=30),
    view_name="grants:contract_answer",
)
MEASUREMENT_LINK = CustomerLink(
    salt="grants.measurement",
    max_age=timedelta(days=120),
    view_name="grants:measurement_entry",
)


def _invalid() -> ApplicationError:
    return ApplicationError(_("This link is not valid or has expired; please contact us."))


def contract_token(project: GrantProject) -> str:
    return CONTRACT_LINK.token({"project": project.pk, "contract": project.contract_id})


def contract_url(project: GrantProject) -> str:
    """The absolute link when the site's public address is configured, else the path."""
    return CONTRACT_LINK.url(contract_token(project))


def project_for_contract_token(token: str) -> GrantProject:
    """The project a valid token names, its contract unchanged; ApplicationError otherwise."""
    try:
        value = CONTRACT_LINK.read(token)
        project = GrantProject.objects.select_related("account", "contract").get(
            pk=value["project"]
        )
    except (LinkInvalid, GrantProject.DoesNotExist, KeyError, TypeError) as error:
        raise _invalid() from error
    if project.contract_id is None or project.contract_id != value.get("contract"):
        raise ApplicationError(_("This contract has been replaced; please contact us."))
    return project


def measurement_token(measurement: Measurement) -> str:
    return MEASUREMENT_LINK.token({"measurement": measurement.pk})


def measurement_url(measurement: Measurement) -> str:
    return MEASUREMENT_LINK.url(measurement_token(measurement))


def measurement_for_token(token: str) -> Measurement:
    try:
        value = MEASUREMENT_LINK.read(token)
        return Measurement.objects.select_related("indicator__project__account").get(
            pk=value["measurement"]
        )
    except (LinkInvalid, Measurement.DoesNotExist, KeyError, TypeError) as error:
        raise _invalid() from error
