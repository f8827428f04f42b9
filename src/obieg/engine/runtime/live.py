"""Live workflows kept between steps, so the next step of a case skips the load.

Loading a case rebuilds SpiffWorkflow's task tree from the saved JSON
(parsing, a UUID per task, the data merged down the tree): the biggest
single cost of a step after the database. The workflow a step ends with
is exactly what its saved state describes, so this process keeps it, and
the next step of the case takes it instead of loading — only when the row
it has just read under the case lock holds *the very state text* that
workflow was dumped to (and the same revision and definition version).
A step of another process, a cancellation, a failed step marked in its own
transaction, a repair, a restored backup: each leaves a different row, and
the entry is not used. An entry kept by a step whose transaction then
rolled back stands for a state the row never got, so it is never used
either: serving an entry is always the same as loading the row.

`take` removes the entry: one step at a time holds a workflow, even with
several threads in one process, and a step that fails (its transaction
rolled back) never puts back what it changed. `keep` is called by a step
once everything it saves is final; nothing touches that workflow again.

OBIEG_ENGINE_CHECK_LIVE=1 (a diagnostic for test runs) dumps every kept
workflow again and refuses to keep it unless it still dumps to the state
being saved.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from obieg.engine.models import Case
    from obieg.engine.spiff.instance import OpenTask

# A workflow of a 10-task process takes some 100 kB in memory; a few hundred cases a process
# covers the cases people are working on at the moment.
MAX_LIVE = 256
CHECK = os.environ.get("OBIEG_ENGINE_CHECK_LIVE", "") == "1"

_lock = threading.Lock()
_entries: OrderedDict[int, _Live] = OrderedDict()


@dataclass(frozen=True)
class _Live:
    revision: int
    definition: tuple[int, str]
    state: str
    workflow: Any
    open_tasks: list[OpenTask]
    external_ids: frozenset[str]


def _definition_of(case: Case) -> tuple[int, str]:
    return case.definition_id, case.definition.checksum


def take(case: Case) -> _Live | None:
    """The live workflow of `case` as its row now stands, or None (then load the state)."""
    with _lock:
        entry = _entries.pop(case.pk, None)
    if entry is None:
        return None
    if (
        entry.revision != case.revision
        or entry.definition != _definition_of(case)
        or entry.state != case.state  # the full text: equal means the same workflow
    ):
        return None
    return entry


def keep(case: Case, workflow, *, open_tasks: list[OpenTask], external_ids: set[str]) -> None:
    """Keep the workflow `case.state` was just dumped from, for the case's next step."""
    if CHECK:
        from obieg.engine.spiff.serializer import dump_state

        if dump_state(workflow) != case.state:
            raise AssertionError(f"case {case.pk}: the kept workflow differs from its saved state")
    # The step's script engine holds the step itself (its case, actor, history lines): let them
    # go; the next step gives the workflow its own engine (`Instance.resume`).
    workflow.script_engine = None
    entry = _Live(
        revision=case.revision,
        definition=_definition_of(case),
        state=case.state,
        workflow=workflow,
        open_tasks=open_tasks,
        external_ids=frozenset(external_ids),
    )
    with _lock:
        _entries[case.pk] = entry
        _entries.move_to_end(case.pk)
        while len(_entries) > MAX_LIVE:
            _entries.popitem(last=False)


def forget(case_id: int) -> None:
    with _lock:
        _entries.pop(case_id, None)


def clear() -> None:
    with _lock:
        _entries.clear()


def size() -> int:
    return len(_entries)
