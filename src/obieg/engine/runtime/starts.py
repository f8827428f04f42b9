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
from typing import Any

from obieg.engine import spec_cache
from obieg.engine.errors import StepFailed
from obieg.engine.models import ACTIVE_CASE_STATUSES, Case, CorrelationKey, ProcessDefinition
from obieg.engine.spiff import events
from obieg.engine.spiff.parser import ModelError

logger = logging.getLogger(__name__)


def latest_versions() -> list[ProcessDefinition]:
    """The newest version of every process, its files deferred, on any database.

    Reads every version's row; selectors.latest_definitions reads only the
    newest ones in one DISTINCT ON statement where the database has it.
    """
    latest: dict[str, ProcessDefinition] = {}
    for definition in ProcessDefinition.objects.defer("sources").order_by("key", "-version"):
        latest.setdefault(definition.key, definition)
    return list(latest.values())


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
