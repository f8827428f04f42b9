"""Processes started by a message or a signal (their start events wait for one).

`send_message` first delivers a message to the cases waiting for it under its
key; only when none does, it starts a case of every process whose start event
waits for that message (latest version), with the message's key as the new
case's correlation key and its payload as the start data — as Camunda's
`correlateMessage` does. A process that already has a running case under that
key is not started again (Camunda 8 keeps one instance per correlation key the
same way), so a message sent twice does not make two cases. A signal starts a
case of every process with a signal start event of its name, each time.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from obieg.core import compiled_once
from obieg.engine import spec_cache
from obieg.engine.errors import StepFailed
from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, CorrelationKey, ProcessDefinition
from obieg.engine.spiff import events
from obieg.engine.spiff.parser import ModelError

logger = logging.getLogger(__name__)


def latest_versions(*, columns: Sequence[str] = ()) -> list[ProcessDefinition]:
    """The newest version of every process (what new cases start on), by key.

    `columns` (`only()`'s names) reads just those: the inbox's filter asks for
    key, name, checksum and file name on every request; without them every
    column but the files. One statement on every database (the versions no
    newer version of the same key follows), compiled once per process.
    """
    statement = compiled_once.compiled(
        ("latest versions", tuple(columns)), {}, lambda _values: _latest(columns)
    )
    if statement is None:
        return list(_latest(columns))
    return compiled_once.instances(statement, {})


def _latest(columns: Sequence[str]) -> QuerySet[ProcessDefinition]:
    newer = ProcessDefinition.objects.filter(key=OuterRef("key"), version__gt=OuterRef("version"))
    latest = ProcessDefinition.objects.filter(~Exists(newer)).order_by("key")
    return latest.only(*columns) if columns else latest.defer("sources")


def definitions_started_by(kind: str, name: str) -> list[ProcessDefinition]:
    """The latest version of every process a start event of which waits for `kind` `name`."""
    found = []
    for definition in latest_versions():
        try:
            spec, _subprocesses = spec_cache.bundle_for(definition)
        except ModelError as error:  # a version that no longer parses starts nothing
            logger.warning("Process %s v%s not read: %s", definition.key, definition.version, error)
            continue
        if (kind, name) in events.start_triggers(spec):
            found.append(definition)
    return found


def start_by_event(
    kind: str, name: str, *, payload: dict[str, Any], actor, key: str | None = None
) -> list[Case]:
    """Start a case of each process whose start event waits for message or signal `name`."""
    from obieg.engine.runtime import services

    started = []
    for definition in definitions_started_by(kind, name):
        if key is not None and _running_under(definition.key, key):
            continue
        try:
            started.append(
                services.start_case(
                    process=definition.key,
                    actor=actor,
                    data=payload,
                    keys=[key] if key else [],
                    event=(kind, name),
                )
            )
        except StepFailed as failure:  # the case is kept, stopped, for an administrator
            logger.warning("Case %s stopped at its %s start: %s", failure.case_id, kind, failure)
            started.append(Case.objects.get(pk=failure.case_id))
    return started


def _running_under(process: str, key: str) -> bool:
    return CorrelationKey.objects.filter(
        key=key, case__definition__key=process, case__status__in=ACTIVE_CASE_STATUSES
    ).exists()
