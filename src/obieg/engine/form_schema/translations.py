"""A form's words in every language: kept in each component's custom properties.

A form-js component's `label`, `description` and `text` are in the
language of the process model; the other languages' words sit beside them
in the component's `properties` (form-js's "Custom properties", which the
designer's properties panel edits and every form-js tool keeps):

    {"type": "textfield", "key": "amount", "label": "Kwota",
     "properties": {"label:en": "Amount", "description:en": "Gross, in PLN",
                    "option:cash:en": "Cash"}}

`option:<value>:<language>` names one option of a radio, select, checklist
or tag list. The page shows each in the reader's language, falling back to
the component's own; the form class is built once per version, so the
words are lazy and picked when the form is rendered.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import lazy

WORDS = ("label", "description", "text")
OPTION = "option:"


def _split(key: str) -> tuple[str, str] | None:
    """("label", "en") for "label:en", ("option:cash", "en") for "option:cash:en"; else None."""
    prefix, colon, language = key.rpartition(":")
    if not colon or not prefix or not language:
        return None
    if prefix in WORDS or (prefix.startswith(OPTION) and len(prefix) > len(OPTION)):
        return prefix, language
    return None


def _names(component: dict[str, Any], word: str) -> dict[str, str]:
    found = {}
    properties = component.get("properties")
    for key, text in (properties if isinstance(properties, dict) else {}).items():
        split = _split(key) if isinstance(key, str) else None
        if split and split[0] == word and isinstance(text, str) and text.strip():
            found[split[1]] = text.strip()
    return found


def _pick(names: dict[str, str], default: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return names.get(language) or names.get(language.split("-")[0]) or default


_lazy_pick = lazy(_pick, str)


def word(component: dict[str, Any], name: str, default: str) -> Any:  # str or a lazy str
    """The component's `name` ("label", "description", "text") in the reader's language."""
    names = _names(component, name)
    return _lazy_pick(names, default) if names else default


def option(component: dict[str, Any], value: str, default: str) -> Any:
    """One option's label in the reader's language."""
    names = _names(component, f"{OPTION}{value}")
    return _lazy_pick(names, default) if names else default


def problems(component: dict[str, Any], where: str) -> list[str]:
    """Why the component's translations cannot be used: a language the site lacks, no text."""
    properties = component.get("properties")
    if properties is None:
        return []
    if not isinstance(properties, dict):
        return [f"{where}: custom properties must be an object"]
    languages = [code for code, _name in settings.LANGUAGES]
    values = {
        str(choice.get("value"))
        for choice in component.get("values") or []
        if isinstance(choice, dict)
    }
    found = []
    for key, text in properties.items():
        split = _split(key) if isinstance(key, str) else None
        if split is None:
            continue  # another tool's property: kept as it is
        prefix, language = split
        if language not in languages:
            found.append(
                f"{where}: {key!r} names the language {language!r}; "
                f"this site's are {', '.join(languages)}"
            )
        elif not isinstance(text, str) or not text.strip():
            found.append(f"{where}: {key!r} is empty")
        elif text.startswith("="):
            found.append(f"{where}: an expression as {key!r} is not supported")
        elif prefix.startswith(OPTION) and prefix[len(OPTION) :] not in values:
            found.append(f"{where}: {key!r} names an option the field does not list")
    return found
