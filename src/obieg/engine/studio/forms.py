"""Task forms designed in the studio, kept inside the draft's process file.

A form is a form-js schema stored in the draft's BPMN (`form_schema.embedded`),
so it is saved, checked, deployed and versioned with the diagram. Saving one
is saving the draft: conditional on the revision the designer loaded, so a
change made meanwhile in the diagram editor or another designer is never
silently overwritten.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from obieg.core.errors import ApplicationError
from obieg.engine.form_schema import PREFIX, embedded, schema
from obieg.engine.models import StudioDraft
from obieg.engine.studio import drafts
from obieg.engine.studio.permissions import ensure_may_manage_processes


def empty_form(key: str) -> dict[str, Any]:
    """What the designer starts from: form-js's own empty form."""
    return {"type": "default", "id": key, "schemaVersion": 16, "components": []}


def draft_forms(draft: StudioDraft) -> dict[str, Any]:
    """{key: schema} of the forms in a draft (a file that cannot hold forms has none)."""
    if draft.is_decision:
        return {}
    try:
        return embedded.schemas_in(draft.xml)
    except embedded.SchemaFileError:
        return {}


def check_key(key: str) -> str:
    key = (key or "").strip()
    if not schema.KEY.match(key):
        message = _(
            "A form key starts with a letter and holds only letters, digits and underscores."
        )
        raise ApplicationError(message, field_errors={"key": [message]})
    return key


def draft_form_save(
    *, actor, draft_id: int, revision: int, key: str, form: dict[str, Any] | None
) -> StudioDraft:
    """Keep `form` under `key` in the draft (None removes it), if the draft is still at `revision`.

    A form the server could not check the way the browser does is refused
    with every reason, and nothing is saved.
    """
    ensure_may_manage_processes(actor)
    key = check_key(key)
    if form is not None:
        found = schema.problems(form)
        if found:
            raise ApplicationError(
                _("The form cannot be used as it is."), field_errors={"schema": found}
            )
    draft = StudioDraft.objects.filter(pk=draft_id).first()
    if draft is None or draft.is_decision:
        raise ApplicationError(_("Forms are kept in a process file."))
    try:
        xml = embedded.with_schema(draft.xml, key, form)
    except embedded.SchemaFileError as error:
        raise ApplicationError(str(error), field_errors={"schema": [str(error)]}) from error
    return drafts.draft_save(actor=actor, draft_id=draft_id, revision=revision, xml=xml)


def form_reference(key: str) -> str:
    """What a user task writes to use the form: obieg:form="schema:<key>"."""
    return f"{PREFIX}{key}"
