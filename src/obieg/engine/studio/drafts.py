"""Draft models in the studio: upload, save from the editor, check, deploy, discard.

Each write takes the actor first (`ensure_may_manage_processes`) and is
conditional: a draft is saved over or discarded only at the revision the
administrator read, so two people never silently overwrite each other.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from obieg.core import audit, clock
from obieg.core.errors import ApplicationError, Conflict
from obieg.engine.models import StudioDraft
from obieg.engine.studio import workspace
from obieg.engine.studio.permissions import ensure_may_manage_processes

MAX_XML_CHARS = workspace.MAX_FILE_BYTES


def _check_size(xml: str) -> None:
    if len(xml) > MAX_XML_CHARS:
        message = _("The model is larger than 2 MB.")
        raise ApplicationError(message, field_errors={"xml": [message]})


def _stale(draft_id: int) -> Conflict:
    holder = StudioDraft.objects.filter(pk=draft_id).select_related("updated_by").first()
    if holder is None:
        return Conflict(_("This draft was deployed or discarded meanwhile."))
    return Conflict(
        _("%(name)s saved this draft meanwhile; reload it and make your change again.")
        % {"name": holder.updated_by or _("someone")}
    )


def drafts_upload(*, actor, files: dict[str, str], solution: str | None) -> list[StudioDraft]:
    """Keep uploaded files as drafts of a solution (replacing drafts of the same name)."""
    ensure_may_manage_processes(actor)
    for xml in files.values():
        _check_size(xml)
    if solution is None:
        solution = workspace.solution_of(files)
    drafts = []
    with transaction.atomic():
        for name, xml in files.items():
            draft, created = StudioDraft.objects.select_for_update().get_or_create(
                solution=solution,
                file_name=name,
                defaults={"xml": xml, "updated_by": actor, "updated_at": clock.now()},
            )
            if not created:
                StudioDraft.objects.filter(pk=draft.pk).update(
                    xml=xml, updated_by=actor, updated_at=clock.now(), revision=F("revision") + 1
                )
                draft.refresh_from_db()
            audit.record(
                draft,
                actor=actor,
                action="create" if created else "update",
                changes={"file_name": [None, name], "uploaded": [None, len(xml)]},
            )
            drafts.append(draft)
    return drafts


def draft_start(*, actor, solution: str, file_name: str, xml: str) -> StudioDraft:
    """A new draft (a new diagram, or a deployed version opened for editing)."""
    ensure_may_manage_processes(actor)
    file_name = workspace.check_file_name(file_name)
    _check_size(xml)
    with transaction.atomic():
        existing = StudioDraft.objects.filter(solution=solution, file_name=file_name).first()
        if existing is not None:
            return existing  # the work in progress on that file is not thrown away
        draft = StudioDraft.objects.create(
            solution=solution,
            file_name=file_name,
            xml=xml,
            updated_by=actor,
            updated_at=clock.now(),
        )
        audit.record_create(draft, actor=actor)
    return draft


def draft_save(*, actor, draft_id: int, revision: int, xml: str) -> StudioDraft:
    """Save the editor's XML over the draft, if nobody saved it since `revision`."""
    ensure_may_manage_processes(actor)
    _check_size(xml)
    if not xml.strip():
        message = _("The model is empty.")
        raise ApplicationError(message, field_errors={"xml": [message]})
    with transaction.atomic():
        changed = StudioDraft.objects.filter(pk=draft_id, revision=revision).update(
            xml=xml, updated_by=actor, updated_at=clock.now(), revision=F("revision") + 1
        )
        if changed != 1:
            raise _stale(draft_id)
        draft = StudioDraft.objects.get(pk=draft_id)
        audit.record(
            draft, actor=actor, action="update", changes={"revision": [revision, draft.revision]}
        )
    return draft


def draft_discard(*, actor, draft_id: int, revision: int) -> None:
    ensure_may_manage_processes(actor)
    with transaction.atomic():
        draft = StudioDraft.objects.filter(pk=draft_id, revision=revision).first()
        if draft is None:
            raise _stale(draft_id)
        if StudioDraft.objects.filter(pk=draft_id, revision=revision).delete()[0] != 1:
            raise _stale(draft_id)
        audit.record_delete(draft, actor=actor, pk=draft_id)


def drafts_check(*, actor, solution: str) -> workspace.Outcome:
    """Check a solution's drafts together with its current files (nothing is written)."""
    ensure_may_manage_processes(actor)
    drafts = list(StudioDraft.objects.filter(solution=solution))
    return workspace.check(solution=solution, files={d.file_name: d.xml for d in drafts})


def drafts_deploy(*, actor, solution: str, revisions: dict[int, int]) -> workspace.Outcome:
    """Deploy the solution's drafts at the revisions the administrator checked.

    Deployed drafts are removed; a decision table no process uses stays a
    draft (deploying it alone would run nowhere).
    """
    ensure_may_manage_processes(actor)
    with transaction.atomic():
        drafts = list(StudioDraft.objects.select_for_update().filter(solution=solution))
        if not drafts:
            raise ApplicationError(_("There is no draft to deploy."))
        if {d.pk: d.revision for d in drafts} != revisions:
            raise Conflict(
                _(
                    "The drafts changed since you checked them (saved, uploaded or discarded "
                    "by someone). Check them again, then deploy."
                )
            )
        outcome = workspace.deploy_files(
            solution=solution, files={d.file_name: d.xml for d in drafts}, actor=actor
        )
        if outcome.refused:
            return outcome
        used = workspace.files_used(solution, [d.file_name for d in drafts])
        for draft in drafts:
            if draft.file_name in used:
                StudioDraft.objects.filter(pk=draft.pk, revision=draft.revision).delete()
                audit.record_delete(draft, actor=actor, pk=draft.pk)
    return outcome
