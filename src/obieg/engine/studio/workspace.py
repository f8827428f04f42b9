"""A solution's workspace: the files its current versions hold, with new files laid over them.

Checking or deploying a file in the studio (or through the API) runs it
with the rest of its solution's current files, exactly as deploying the
solution's folder would: a changed decision table redeploys every process
using it, a call activity finds the process it calls. Only processes whose
files changed become new versions (`engine.deploy` compares checksums).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from lxml import etree

from obieg.core.errors import ApplicationError
from obieg.engine import deploy
from obieg.engine.findings import Finding
from obieg.engine.models import DeployOrigin, ProcessDefinition, StudioDraft

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_FILES = 20
FILE_NAME = re.compile(r"^[\w][\w.\- ]{0,150}\.(bpmn|dmn)$")
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def prefix(solution: str) -> str:
    """Solution files are deployed under `label/` (see `deploy.deploy_all`)."""
    return f"{solution}/" if solution else ""


def bare_name(solution: str, file_name: str) -> str:
    """The name the studio shows: a solution folder's `label/` left out."""
    return file_name.rsplit("/", 1)[-1]


def merged_files(solution: str, files: dict[str, str]) -> dict[str, str]:
    """The solution's current files with `files` laid over those of the same name.

    Versions deployed from a solution folder name their files `label/x.bpmn`,
    those from the command plain `x.bpmn`: a new file takes the name its
    predecessor had, so it replaces it rather than standing beside it.
    """
    merged = current_files(solution)
    held = {bare_name(solution, name): name for name in merged}
    for name, xml in files.items():
        merged[held.get(name, prefix(solution) + name)] = xml
    return merged


def check_file_name(name: str) -> str:
    """A model's file name, or a field error: plain names ending in .bpmn or .dmn."""
    name = (name or "").strip()
    if "/" in name or "\\" in name or not FILE_NAME.match(name):
        raise ApplicationError(
            _("“%(name)s” is not a model file name.") % {"name": name[:200]},
            field_errors={
                "files": [
                    _(
                        "A model file is named with letters, digits, dots, dashes or "
                        "underscores and ends in .bpmn or .dmn: “%(name)s” does not."
                    )
                    % {"name": name[:200]}
                ]
            },
        )
    return name


def read_uploads(uploads) -> dict[str, str]:
    """{file name: XML text} of uploaded files, or a field error naming the file at fault."""
    uploads = list(uploads)
    if not uploads:
        raise ApplicationError(
            _("Choose a .bpmn or .dmn file."), field_errors={"files": [_("Choose a file.")]}
        )
    if len(uploads) > MAX_FILES:
        message = _("Upload at most %(count)d files at once.") % {"count": MAX_FILES}
        raise ApplicationError(message, field_errors={"files": [message]})
    files: dict[str, str] = {}
    for upload in uploads:
        name = check_file_name(upload.name)
        if name in files:
            message = _("Two files are named “%(name)s”.") % {"name": name}
            raise ApplicationError(message, field_errors={"files": [message]})
        if upload.size > MAX_FILE_BYTES:
            message = _("“%(name)s” is larger than 2 MB.") % {"name": name}
            raise ApplicationError(message, field_errors={"files": [message]})
        try:
            files[name] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("“%(name)s” is not a text file in UTF-8.") % {"name": name}
            raise ApplicationError(message, field_errors={"files": [message]}) from None
    return files


def solutions() -> list[str]:
    """Every solution label a model can belong to ("" for the studio's own processes)."""
    labels = {label for label, _folder in deploy.solution_folders()}
    labels |= set(ProcessDefinition.objects.values_list("solution", flat=True).distinct())
    labels |= set(StudioDraft.objects.values_list("solution", flat=True).distinct())
    return sorted(labels | {""})


def current_versions(solution: str) -> list[ProcessDefinition]:
    """The latest version of each process of `solution`, oldest deploy first."""
    latest = ProcessDefinition.objects.values("key").annotate(latest=Max("id")).values("latest")
    return list(
        ProcessDefinition.objects.filter(pk__in=latest, solution=solution).order_by(
            "deployed_at", "pk"
        )
    )


def current_files(solution: str) -> dict[str, str]:
    """{file name: XML} the solution's current versions hold; the newest deploy wins a name."""
    files: dict[str, str] = {}
    for version in current_versions(solution):
        files.update(version.sources)
    return files


def process_ids(xml: str) -> list[str]:
    """The ids of the processes a BPMN text defines ([] when it is not readable XML)."""
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except (etree.XMLSyntaxError, ValueError):
        return []
    return [node.get("id") for node in root.iterfind(f"{{{BPMN}}}process") if node.get("id")]


def solution_of(files: dict[str, str]) -> str:
    """The solution whose processes the files redefine, else "" (a new process)."""
    for name, xml in files.items():
        if not name.endswith(".bpmn"):
            continue
        for key in process_ids(xml):
            owner = (
                ProcessDefinition.objects.filter(key=key)
                .order_by("-version")
                .values_list("solution", flat=True)
                .first()
            )
            if owner is not None:
                return owner
    return ""


@dataclass
class Outcome:
    """What checking or deploying files gave, in the studio's terms."""

    solution: str
    findings: list[Finding] = field(default_factory=list)
    created: list[ProcessDefinition] = field(default_factory=list)
    unchanged: list[ProcessDefinition] = field(default_factory=list)

    @property
    def refusals(self) -> list[Finding]:
        return [item for item in self.findings if item.refused]

    @property
    def refused(self) -> bool:
        return bool(self.refusals)

    def for_file(self, file_name: str) -> list[Finding]:
        """Findings of one file (named bare, as the studio shows it)."""
        return [item for item in self.findings if item.file == file_name]


def _foreign_processes(solution: str, files: dict[str, str]) -> list[Finding]:
    """A process id another solution owns is refused: each process has one home."""
    found = []
    for name, xml in files.items():
        if not name.endswith(".bpmn"):
            continue
        for key in process_ids(xml):
            owner = (
                ProcessDefinition.objects.filter(key=key)
                .order_by("-version")
                .values_list("solution", flat=True)
                .first()
            )
            if owner is not None and owner != solution:
                where = owner or _("the studio's own processes")
                found.append(
                    Finding(
                        name,
                        key,
                        _("process id already used in %(solution)s: upload the file there")
                        % {"solution": where},
                    )
                )
    return found


def _outcome(solution: str, report: deploy.DeployReport, before: dict[str, int]) -> Outcome:
    findings = [
        Finding(
            bare_name(solution, item.file),
            item.element_id,
            item.message,
            item.name,
            refused=item.refused,
        )
        for item in report.findings.items
    ]
    outcome = Outcome(solution=solution, findings=findings)
    for definition in report.definitions:
        target = (
            outcome.unchanged if before.get(definition.key) == definition.pk else outcome.created
        )
        target.append(definition)
    return outcome


def check(*, solution: str, files: dict[str, str]) -> Outcome:
    """Every refusal and warning of `files` over the solution's workspace; writes nothing."""
    foreign = _foreign_processes(solution, files)
    report = deploy.deploy_sources(
        merged_files(solution, files), solution=solution, check_only=True
    )
    outcome = _outcome(solution, report, {})
    outcome.findings = foreign + outcome.findings
    return outcome


def deploy_files(
    *, solution: str, files: dict[str, str], actor, origin: str = DeployOrigin.STUDIO
) -> Outcome:
    """Deploy `files` with the solution's workspace; all or nothing, with every problem found."""
    foreign = _foreign_processes(solution, files)
    if foreign:
        outcome = check(solution=solution, files=files)
        return outcome
    with transaction.atomic():
        before = {d.key: d.pk for d in current_versions(solution)}
        report = deploy.deploy_sources(
            merged_files(solution, files), solution=solution, origin=origin, deployed_by=actor
        )
        return _outcome(solution, report, before)


def files_used(solution: str, names: list[str]) -> set[str]:
    """Which of `names` a current version of the solution holds (deployed, not just drafted)."""
    held = {bare_name(solution, name) for name in current_files(solution)}
    return {name for name in names if name in held}
