"""The decision-table editor's words, translated on the server for its script."""

from __future__ import annotations

from django.utils.translation import gettext as _


def table_labels() -> dict[str, str]:
    return {
        "saved": _("Draft saved."),
        "saveFailed": _("The draft was not saved."),
        "unsaved": _("Changed; not saved yet."),
        "checking": _("Checking…"),
        "checked": _("No problem found: the drafts can be deployed."),
        "refused": _("Problems found: fix them before deploying."),
        "checkFailed": _("The check did not run."),
        "failed": _("Something went wrong; the draft as last saved is kept."),
        "drd": _("Decision requirements"),
    }
