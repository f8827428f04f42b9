"""The form designer's words, translated on the server and handed to its script as JSON."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _


def designer_labels() -> dict[str, Any]:
    return {
        "saved": _("Form saved with the draft."),
        "saveFailed": _("The form was not saved."),
        "unsaved": _("Changed; not saved yet."),
        "failed": _("Something went wrong; the draft as last saved is kept."),
        "removeConfirm": _("Remove this form from the draft?"),
        # The translations panel (a field's words per language, in its custom properties).
        "translations": _("Words in each language"),
        "pickField": _(
            "Select a field to give its label, description and options in each language. "
            "Left empty, the field shows its own words."
        ),
        "words": {
            "label": _("Label"),
            "description": _("Description"),
            "text": _("Text"),
            "option": _("Option"),
        },
        "languages": [[code, str(name)] for code, name in settings.LANGUAGES],
    }
