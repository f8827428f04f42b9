"""What the Processes area reads: versions with who deployed them and their cases, decisions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max
from django.utils import translation
from lxml import etree

from obieg.engine import labels
from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, ProcessDefinition

# A page never loads more versions than this (older ones stay reachable by process).
VERSION_LIMIT = 500


def versions_with_counts(queryset) -> list[ProcessDefinition]:
    """The versions, each with `running_count` and `case_count` (two numbers, one query)."""
    versions = list(
        queryset.defer("sources")
        .select_related("deployed_by")
        .order_by("key", "-version")[:VERSION_LIMIT]
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Case.objects.filter(definition__in=[v.pk for v in versions])
        .values("definition", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[row["definition"]][row["status"]] = row["n"]
    for version in versions:
        by_status = counts.get(version.pk, {})
        version.case_count = sum(by_status.values())
        version.running_count = sum(by_status.get(s, 0) for s in ACTIVE_CASE_STATUSES)
    return versions


def processes() -> dict[str, list[ProcessDefinition]]:
    """{process key: its versions, newest first}."""
    grouped: dict[str, list[ProcessDefinition]] = {}
    for version in versions_with_counts(ProcessDefinition.objects.all()):
        grouped.setdefault(version.key, []).append(version)
    return grouped


@dataclass
class DecisionFile:
    """A DMN file the current versions hold: its decisions and the processes using it."""

    solution: str
    file_name: str
    decisions: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    used_by: list[ProcessDefinition] = field(default_factory=list)


def decision_files() -> list[DecisionFile]:
    """Every DMN file of the latest version of each process."""
    latest = ProcessDefinition.objects.values("key").annotate(latest=Max("id")).values("latest")
    found: dict[tuple[str, str], DecisionFile] = {}
    for version in ProcessDefinition.objects.filter(pk__in=latest).order_by("key"):
        for name, xml in version.sources.items():
            if not name.endswith(".dmn"):
                continue
            item = found.get((version.solution, name))
            if item is None:
                item = found[(version.solution, name)] = DecisionFile(
                    version.solution, name, decisions_in(xml)
                )
            item.used_by.append(version)
    return sorted(found.values(), key=lambda item: (item.solution, item.file_name))


def decisions_in(xml: str) -> list[tuple[str, str]]:
    """(id, name) of a DMN file's decisions, each name in the reader's language when it has it."""
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except (etree.XMLSyntaxError, ValueError):
        return []
    language = translation.get_language() or settings.LANGUAGE_CODE
    found = []
    # Any DMN version (1.1 to 1.5): the namespaces differ, the element's name does not.
    for node in root.xpath("./*[local-name()='decision']"):
        names = labels.translations_of(node) if labels.model_language(root) != language else {}
        name = names.get(language) or names.get(language.split("-")[0]) or node.get("name")
        found.append((node.get("id") or "", name or node.get("id") or ""))
    return found


def version_file(definition: ProcessDefinition, file_name: str | None) -> tuple[str, str] | None:
    """(bare file name, XML) of one file of a version: its process file by default."""
    name = file_name or definition.source_name
    if name not in definition.sources:
        return None
    return name.rsplit("/", 1)[-1], definition.sources[name]
