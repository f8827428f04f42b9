"""What a form schema may hold: the form-js components Obieg renders and checks itself.

`problems(schema)` lists every reason a schema cannot be used (deploy and the
designer's save refuse it); `inputs(schema)` yields the components that carry
a value, groups flattened. Anything the server could not check the same way
as the browser (conditions, options fetched at run time, FEEL-valued
properties) is refused rather than silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from obieg.engine.form_schema import translations

# Components that carry a submitted value.
INPUT_TYPES = frozenset(
    {
        "textfield",
        "textarea",
        "number",
        "checkbox",
        "radio",
        "select",
        "checklist",
        "taglist",
        "datetime",
    }
)
# Components that only show something (or the form-js submit button, which the page replaces).
DISPLAY_TYPES = frozenset({"text", "spacer", "separator", "button", "default"})
CHOICE_TYPES = frozenset({"radio", "select", "checklist", "taglist"})
DATETIME_SUBTYPES = frozenset({"date", "time", "datetime"})
VALIDATION_TYPES = frozenset({"", "email", "phone", "custom"})
KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
MAX_COMPONENTS = 200
MAX_CHOICES = 500


def inputs(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The value-carrying components, in order, groups flattened."""
    for component in schema.get("components") or []:
        if not isinstance(component, dict):
            continue
        if component.get("type") == "group":
            yield from inputs(component)
        elif component.get("type") in INPUT_TYPES:
            yield component


def problems(schema: Any) -> list[str]:
    """Every reason `schema` cannot be a task form; empty when it can."""
    if not isinstance(schema, dict) or not isinstance(schema.get("components"), list):
        return ["a form schema is a JSON object with a list of components"]
    found: list[str] = []
    keys: set[str] = set()
    count = 0
    for component in _all(schema):
        count += 1
        found += _component_problems(component, keys)
    if count > MAX_COMPONENTS:
        found.append(f"a form has at most {MAX_COMPONENTS} fields")
    return found


def _all(container: dict[str, Any]) -> Iterator[Any]:
    for component in container.get("components") or []:
        yield component
        if isinstance(component, dict) and component.get("type") == "group":
            yield from _all(component)


def _component_problems(component: Any, keys: set[str]) -> list[str]:
    if not isinstance(component, dict) or not isinstance(component.get("type"), str):
        return ["every component needs a type"]
    kind = component["type"]
    name = component.get("key") or component.get("label") or component.get("id") or kind
    where = f"field {name!r}"
    if kind == "group":
        return [] if isinstance(component.get("components"), list) else [f"{where}: no components"]
    if kind in DISPLAY_TYPES:
        found = _no_conditions(component, where) + translations.problems(component, where)
        if isinstance(component.get("text"), str) and component["text"].startswith("="):
            found.append(f"{where}: an expression as text is not supported")
        return found
    if kind not in INPUT_TYPES:
        return [f"{where}: fields of type {kind!r} are not supported"]
    found = _no_conditions(component, where) + translations.problems(component, where)
    key = component.get("key")
    if not isinstance(key, str) or not KEY.match(key):
        found.append(
            f"{where}: the key must start with a letter and hold only letters, digits and "
            "underscores (at most 63)"
        )
    elif key in keys:
        found.append(f"{where}: the key {key!r} is used twice")
    else:
        keys.add(key)
    for prop in ("label", "description"):
        if isinstance(component.get(prop), str) and component[prop].startswith("="):
            found.append(f"{where}: an expression as {prop} is not supported")
    found += _validate_problems(component.get("validate"), kind, where)
    if kind in CHOICE_TYPES:
        found += _choice_problems(component, where)
    if kind == "number":
        digits = component.get("decimalDigits")
        if digits is not None and (not isinstance(digits, int) or not 0 <= digits <= 10):
            found.append(f"{where}: decimal digits must be a whole number from 0 to 10")
    if kind == "datetime" and component.get("subtype", "date") not in DATETIME_SUBTYPES:
        found.append(f"{where}: a date field is a date, a time or a date and time")
    return found


def _no_conditions(component: dict[str, Any], where: str) -> list[str]:
    conditional = component.get("conditional")
    if isinstance(conditional, dict) and conditional.get("hide"):
        return [f"{where}: conditions (hide if) are not supported; the server could not check them"]
    return []


def _validate_problems(validate: Any, kind: str, where: str) -> list[str]:
    if validate is None:
        return []
    if not isinstance(validate, dict):
        return [f"{where}: validation must be an object"]
    found = []
    if not isinstance(validate.get("required", False), bool):
        found.append(f"{where}: required is true or false")
    for bound in ("min", "max"):
        if validate.get(bound) not in (None, "") and number(validate[bound]) is None:
            found.append(f"{where}: {bound} must be a number (expressions are not supported)")
    low, high = number(validate.get("min")), number(validate.get("max"))
    if low is not None and high is not None and low > high:
        found.append(f"{where}: the minimum is above the maximum")
    for bound in ("minLength", "maxLength"):
        if validate.get(bound) in (None, ""):
            continue
        value = number(validate[bound])
        if value is None or value < 0 or value != int(value):
            found.append(f"{where}: {bound} must be a whole number, 0 or more")
    if (validate.get("validationType") or "") not in VALIDATION_TYPES:
        found.append(f"{where}: unknown validation type {validate.get('validationType')!r}")
    pattern = validate.get("pattern")
    if pattern not in (None, ""):
        if not isinstance(pattern, str):
            found.append(f"{where}: the pattern must be text")
        else:
            try:
                re.compile(pattern)
            except re.error as error:
                found.append(f"{where}: the pattern is not a valid regular expression ({error})")
    return found


def number(value: Any) -> Decimal | None:
    """A bound as form-js writes it (a number, or a number typed as text); None if not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        try:
            found = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return found if found.is_finite() else None
    return None


def _choice_problems(component: dict[str, Any], where: str) -> list[str]:
    if component.get("valuesKey") or component.get("valuesExpression"):
        return [
            f"{where}: options must be listed in the form (options from data are not supported)"
        ]
    values = component.get("values")
    if not isinstance(values, list) or not values:
        return [f"{where}: list the options to choose from"]
    if len(values) > MAX_CHOICES:
        return [f"{where}: at most {MAX_CHOICES} options"]
    seen = set()
    for option in values:
        if not isinstance(option, dict) or not isinstance(option.get("value"), str | int):
            return [f"{where}: every option needs a value"]
        if str(option["value"]) in seen:
            return [f"{where}: the option {option['value']!r} is listed twice"]
        seen.add(str(option["value"]))
    return []
