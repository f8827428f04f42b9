"""Deploys BPMN/DMN models as versioned process definitions.

Each installed app may keep its models in a `processes/` folder beside
its code (an AppConfig may name another folder in `processes_dir`); every
`*.bpmn` and `*.dmn` file there is deployed at `obieg migrate` and when
`obieg serve` or `obieg worker` starts. Each executable process becomes a
`ProcessDefinition` keyed by its BPMN id. A process whose files (its own,
those of processes it calls, the DMN tables it uses) are unchanged is not
redeployed; a changed one becomes the next version, while running cases
stay on the version they started with.

Deploy is all or nothing: every problem in every file is collected and
reported ("file: element id (name): reason"), and nothing is written if
there is one. Warnings (a Camunda candidate group nobody matches, an
external service task, a listener left out) do not stop a deploy: they are
returned with the definitions (`deploy_report`) and kept on each version
(`ProcessDefinition.warnings`) for the administrators' pages.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from lxml import etree

from obieg.engine import camunda, model_check
from obieg.engine.errors import DeployError
from obieg.engine.findings import Finding, Findings
from obieg.engine.models import DeployOrigin, ProcessDefinition
from obieg.engine.spiff.parser import ModelError, build_parser, files_needed, specs_for

logger = logging.getLogger(__name__)
BPMN_NS = {"bpmn": model_check.BPMN}


def solution_folders() -> list[tuple[str, Path]]:
    """(app label, folder) of every installed app that keeps process models."""
    found = []
    for app_config in apps.get_app_configs():
        folder = Path(app_config.path) / getattr(app_config, "processes_dir", "processes")
        if folder.is_dir():
            found.append((app_config.label, folder))
    return found


def read_folder(folder: Path, *, prefix: str = "") -> dict[str, str]:
    """{display name: XML text} of the models in `folder`."""
    paths = sorted([*folder.glob("*.bpmn"), *folder.glob("*.dmn")])
    return {f"{prefix}{path.name}": path.read_text(encoding="utf-8") for path in paths}


def deploy_all() -> list[ProcessDefinition]:
    """Deploy every solution's models (idempotent); the current definition of each process.

    A solution whose files are refused is left out, logged, and keeps the
    versions it has: a broken file never stops the server from starting. The
    processes page and `obieg check` name its problems (`check_solutions`).
    """
    if ProcessDefinition._meta.db_table not in connection.introspection.table_names():
        return []  # migrating backwards or before the engine's tables exist
    definitions: list[ProcessDefinition] = []
    for label, findings, prepared in _solution_reports():
        if findings.refusals:
            logger.error(
                "The models of %s were not deployed; its current versions keep running:\n%s",
                label,
                "\n".join(item.line() for item in findings.refusals),
            )
            continue
        definitions += _store_all(prepared, findings, origin=DeployOrigin.SOLUTION)
    return definitions


def check_solutions() -> dict[str, Findings]:
    """{solution label: what checking its folder found}, deploying nothing."""
    return {label: findings for label, findings, _prepared in _solution_reports()}


def _solution_reports():
    """(label, findings, prepared) of each solution folder; a process id is one solution's."""
    owners: dict[str, str] = {}
    for label, folder in solution_folders():
        findings = Findings()
        try:
            sources = read_folder(folder, prefix=f"{label}/")
        except (OSError, UnicodeDecodeError) as error:
            findings.refuse(f"{label}/", "-", f"cannot read the models: {error}")
            yield label, findings, []
            continue
        prepared = _prepare_groups([(label, sources)], findings)
        for key, _name, main_file, _needed, _solution in prepared:
            if key in owners:
                findings.refuse(main_file, key, f"process id already used in {owners[key]}")
        if not findings.refusals:
            owners.update({item[0]: item[2] for item in prepared})
        yield label, findings, prepared


def deploy_files(paths: Iterable[Path | str], *, solution: str = "") -> list[ProcessDefinition]:
    """Deploy the given model files together (call activities and DMN resolve among them)."""
    return deploy_groups([(solution, _read_files(paths))])


def _read_files(paths: Iterable[Path | str]) -> dict[str, str]:
    return {Path(p).name: Path(p).read_text(encoding="utf-8") for p in paths}


@dataclass
class DeployReport:
    """What deploying (or only checking) some files gave: definitions, refusals, warnings."""

    definitions: list[ProcessDefinition] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)

    @property
    def refused(self) -> bool:
        return bool(self.findings.refusals)


def deploy_report(
    paths: Iterable[Path | str], *, solution: str = "", check_only: bool = False
) -> DeployReport:
    """Check (and unless `check_only`, deploy) files; every refusal and warning, never raising."""
    return deploy_sources(_read_files(paths), solution=solution, check_only=check_only)


def deploy_sources(
    sources: dict[str, str],
    *,
    solution: str = "",
    check_only: bool = False,
    origin: str = DeployOrigin.COMMAND,
    deployed_by=None,
) -> DeployReport:
    """Check (and unless `check_only`, deploy) {file name: XML} together; never raising."""
    report = DeployReport()
    prepared = _prepare_groups([(solution, sources)], report.findings)
    if report.refused or check_only:
        return report
    report.definitions = _store_all(
        prepared, report.findings, origin=origin, deployed_by=deployed_by
    )
    return report


def deploy_groups(groups: list[tuple[str, dict[str, str]]]) -> list[ProcessDefinition]:
    """Deploy groups of (solution, {file name: XML}); all or nothing."""
    findings = Findings()
    prepared = _prepare_groups(groups, findings)
    if findings.refusals:
        raise DeployError([str(item) for item in findings.refusals], findings.items)
    for warning in findings.warnings:
        logger.info("Deploy warning: %s", warning.line())
    return _store_all(prepared, findings, origin=DeployOrigin.COMMAND)


def _prepare_groups(groups, findings: Findings) -> list[tuple]:
    prepared: list[tuple[str, str, str, dict[str, str], str]] = []
    owners: dict[str, str] = {}
    for solution, sources in groups:
        for key, name, main_file, needed in _prepare(sources, findings):
            if key in owners:
                findings.refuse(main_file, key, f"process id already used in {owners[key]}")
                continue
            owners[key] = main_file
            prepared.append((key, name, main_file, needed, solution))
    return prepared


def _store_all(
    prepared, findings: Findings, *, origin: str, deployed_by=None
) -> list[ProcessDefinition]:
    with transaction.atomic():
        return [
            _store(
                key,
                name,
                main_file,
                needed,
                solution=solution,
                warnings=[w.line() for w in findings.warnings if w.file in needed],
                origin=origin,
                deployed_by=deployed_by,
            )
            for key, name, main_file, needed, solution in prepared
        ]


def _prepare(sources: dict[str, str], findings: Findings):
    """Check and parse one group of files; yield (key, name, main file, needed sources)."""
    roots = {}
    checked = Findings()
    for file_name, text in sources.items():
        try:
            roots[file_name] = etree.fromstring(text.encode("utf-8"))
        except etree.XMLSyntaxError as error:
            checked.refuse(file_name, "-", f"not well-formed XML: {error}")
            continue
        camunda.normalise(roots[file_name])
        check = model_check.check_dmn if file_name.endswith(".dmn") else model_check.check_bpmn
        checked.extend(check(roots[file_name], file_name))
    findings.extend(checked)
    if checked.refusals:
        return
    try:
        parser = build_parser(sources, validate_schema=True)
    except ModelError as error:
        findings.items.append(_finding(error, roots))
        return
    for file_name, root in roots.items():
        if file_name.endswith(".dmn"):
            continue
        for process in root.iterfind("bpmn:process", BPMN_NS):
            if process.get("isExecutable", "true") != "true":
                continue
            key = process.get("id")
            try:
                bundle = specs_for(parser, key)
            except ModelError as error:
                findings.items.append(_finding(error, roots))
                continue
            needed = {name: sources[name] for name in files_needed(parser, bundle) | {file_name}}
            yield key, _process_name(root, process), file_name, needed


def _finding(error: ModelError, roots) -> Finding:
    """A refusal from SpiffWorkflow's parser, with the element's name looked up in its file."""
    file_name = getattr(error, "file_name", "") or ""
    element_id = getattr(error, "element_id", "") or ""
    reason = getattr(error, "reason", str(error))
    name = ""
    root = roots.get(file_name)
    if root is not None and element_id:
        found = root.xpath("//*[@id=$id]", id=element_id)
        name = (found[0].get("name") or "") if found else ""
    return Finding(file_name, element_id, reason, name)


def _process_name(root, process) -> str:
    if process.get("name"):
        return process.get("name")
    for participant in root.iterfind(".//bpmn:participant", BPMN_NS):
        if participant.get("processRef") == process.get("id") and participant.get("name"):
            return participant.get("name")
    return process.get("id")


def checksum(sources: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(sources.items())).encode("utf-8")).hexdigest()


def _store(
    key, name, main_file, sources, *, solution: str, warnings: list[str], origin: str, deployed_by
) -> ProcessDefinition:
    digest = checksum(sources)
    latest = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
    if latest is not None and _unchanged_on_disk(latest, key, digest, origin):
        # An administrator changed it in the studio since; the solution's files did not
        # change, so starting the server again must not undo their change.
        return latest
    if latest is not None and latest.checksum == digest:
        if latest.warnings != warnings:
            # Same files, new circumstances (a name mapping added, an action registered).
            latest.warnings = warnings
            ProcessDefinition.objects.filter(pk=latest.pk).update(warnings=warnings)
        return latest
    try:
        with transaction.atomic():
            definition = ProcessDefinition.objects.create(
                key=key,
                version=(latest.version + 1) if latest else 1,
                name=name[:200],
                solution=solution,
                source_name=main_file,
                sources=sources,
                checksum=digest,
                warnings=warnings,
                origin=origin,
                deployed_by=deployed_by,
            )
    except IntegrityError:
        # Another process deployed at the same moment; theirs must be the same files.
        theirs = ProcessDefinition.objects.filter(key=key).order_by("-version").first()
        if theirs is None or theirs.checksum != digest:
            raise
        return theirs
    logger.info("Deployed %s version %s from %s", key, definition.version, main_file)
    return definition


def _unchanged_on_disk(latest, key: str, digest: str, origin: str) -> bool:
    """A solution's files equal to those it last deployed, under a later version from elsewhere."""
    if origin != DeployOrigin.SOLUTION or latest.origin == origin:
        return False
    from_files = (
        ProcessDefinition.objects.filter(key=key, origin=DeployOrigin.SOLUTION)
        .order_by("-version")
        .values_list("checksum", flat=True)
        .first()
    )
    return from_files == digest
