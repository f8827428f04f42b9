"""Who a note mentions: `@username` anywhere in its text.

A user name may hold letters, digits and `. @ + - _` (Django's rule), so
`@jan.kowalski` and `@jan@firma.pl` are whole names; a full stop or a comma
after a name ends the sentence, not the name. An e-mail address in the text
(`jan@firma.pl`) is no mention: the `@` must not follow a name character.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

_MENTION = re.compile(r"(?<![\w.@+-])@([\w.@+-]*\w)")
MAX_MENTIONS = 20  # a pasted list of names is not twenty people to disturb


def names_in(text: str) -> list[str]:
    """The names mentioned in `text`, lower-cased, each once, in order of appearance."""
    names: list[str] = []
    for match in _MENTION.finditer(text or ""):
        name = match.group(1).lower()[:150]
        if name not in names:
            names.append(name)
        if len(names) == MAX_MENTIONS:
            break
    return names


def users_mentioned(text: str):
    """The active users `text` mentions (user names compared without regard to case)."""
    names = names_in(text)
    if not names:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(username_lower=Lower("username"))
        .filter(username_lower__in=names)
    )
