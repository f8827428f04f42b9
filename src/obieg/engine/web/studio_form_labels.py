"""The form designer's words, translated on the server and handed to its script as JSON."""

from __future__ import annotations

from django.utils.translation import gettext as _


def designer_labels() -> dict[str, str]:
    return {
        "saved": _("Form saved with the draft."),
        "saveFailed": _("The form was not saved."),
        "unsaved": _("Changed; not saved yet."),
        "failed": _("Something went wrong; the draft as last saved is kept."),
        "removeConfirm": _("Remove this form from the draft?"),
    }
