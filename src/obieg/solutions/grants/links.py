"""Signed links a client uses without an account: accept the contract, enter a measurement.

Each token names its record and what must still hold for it to work (the
contract still awaiting signature, the measurement still empty); it is signed
with the site's secret and expires. A used or outdated link says so and
changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from obieg.core.errors import ApplicationError
from obieg.solutions.grants.models import GrantProject, Measurement

CONTRACT_SALT = "grants.contract_acceptance"
MEASUREMENT_SALT = "grants.measurement"
CONTRACT_VALID_FOR = timedelta(days=30)
MEASUREMENT_VALID_FOR = timedelta(days=120)


def _invalid() -> ApplicationError:
    return ApplicationError(_("This link is not valid or has expired; please contact us."))


def contract_token(project: GrantProject) -> str:
    return signing.dumps(
        {"project": project.pk, "contract": project.contract_id}, salt=CONTRACT_SALT
    )


def contract_url(project: GrantProject) -> str:
    """The absolute link when the site's public address is configured, else the path."""
    return settings.PUBLIC_URL + reverse("grants:contract_answer", args=[contract_token(project)])


def project_for_contract_token(token: str) -> GrantProject:
    """The project a valid token names, its contract unchanged; ApplicationError otherwise."""
    try:
        value = signing.loads(token, salt=CONTRACT_SALT, max_age=CONTRACT_VALID_FOR)
        project = GrantProject.objects.select_related("account", "contract").get(
            pk=value["project"]
        )
    except (signing.BadSignature, GrantProject.DoesNotExist, KeyError, TypeError) as error:
        raise _invalid() from error
    if project.contract_id is None or project.contract_id != value.get("contract"):
        raise ApplicationError(_("This contract has been replaced; please contact us."))
    return project


def measurement_token(measurement: Measurement) -> str:
    return signing.dumps({"measurement": measurement.pk}, salt=MEASUREMENT_SALT)


def measurement_url(measurement: Measurement) -> str:
    path = reverse("grants:measurement_entry", args=[measurement_token(measurement)])
    return settings.PUBLIC_URL + path


def measurement_for_token(token: str) -> Measurement:
    try:
        value = signing.loads(token, salt=MEASUREMENT_SALT, max_age=MEASUREMENT_VALID_FOR)
        return Measurement.objects.select_related("indicator__project__account").get(
            pk=value["measurement"]
        )
    except (signing.BadSignature, Measurement.DoesNotExist, KeyError, TypeError) as error:
        raise _invalid() from error
