"""The soak's invariants, read from the database after the run (Django set up by soak.py).

Each check compares what the simulated users were told with what the
database holds: a change answered 2xx is there exactly once, a change
refused is absent, nothing happened that nobody asked for, and the
engine's and billing's own counters agree with the rows they count.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from soak_users import PROCESS, Accountant, CaseWorker

# The soak model's timers: element -> (seconds, the tasks whose completion starts it).
TIMERS = {"cool_off": (2, ("intake",)), "settle": (3, ("review", "confirm", "check"))}
# A timer is late past this: the clock ticks every 5 s and a busy worker takes a while.
TIMER_GRACE = timedelta(seconds=20)
# A history line carries its step's moment, taken when the step began (after the case's
# lock); the timer fires when the engine looks, later in that step. Under load a step
# takes a second or two, so a timer fired by another step (a message, a completion) may
# show up to that much before its moment. Earlier than this is a timer that fired early.
STEP_SPAN = timedelta(seconds=3)


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def engine_checks(people: list[CaseWorker], stopped_at: datetime) -> tuple[list[Check], dict]:
    from obieg.engine.models import Case, CaseEvent, WorkItem

    cases = {case.pk: case for case in Case.objects.filter(definition__key=PROCESS).defer("state")}
    events = defaultdict(list)
    for event in CaseEvent.objects.filter(case_id__in=cases).order_by("at", "id"):
        events[event.case_id].append(event)
    items = list(WorkItem.objects.filter(case_id__in=cases))
    figures = {
        "cases": len(cases),
        "completed": sum(c.status == "completed" for c in cases.values()),
    }
    checks = [
        _timers(cases, events, stopped_at, figures),
        *_completions(people, events, items),
        _messages(people, events),
        _revisions(cases, events, items),
        _nothing_stuck(cases, events, items, people, stopped_at),
        _overdue_once(events, figures),
    ]
    return checks, figures


def _timers(cases, events, stopped_at, figures) -> Check:
    problems, lateness, fired_total = [], [], 0
    for case_id in cases:
        done = {}
        fired = Counter()
        for event in events[case_id]:
            if event.kind == "task_completed":
                done[event.element_id] = event.at
            elif event.kind == "timer_fired":
                fired[event.element_id] += 1
                fired_total += 1
                seconds, after = TIMERS[event.element_id]
                started = max((done[t] for t in after if t in done), default=None)
                if started is None or len([t for t in after if t in done]) < len(after):
                    problems.append(f"case {case_id}: {event.element_id} fired before its path")
                    continue
                due = started + timedelta(seconds=seconds)
                if event.at < due - STEP_SPAN:
                    problems.append(f"case {case_id}: {event.element_id} fired early")
                lateness.append((event.at - due).total_seconds())
        for element, (seconds, after) in TIMERS.items():
            if fired[element] > 1:
                problems.append(f"case {case_id}: {element} fired {fired[element]} times")
            reached = all(t in done for t in after)
            if reached and fired[element] == 0:
                due = max(done[t] for t in after) + timedelta(seconds=seconds)
                if due + TIMER_GRACE < stopped_at:
                    problems.append(f"case {case_id}: {element} due {due:%H:%M:%S}, never fired")
    figures["timers_fired"] = fired_total
    if lateness:
        ordered = sorted(lateness)
        figures["timer_late_s"] = (
            ordered[0],
            statistics.median(ordered),
            ordered[int(0.95 * (len(ordered) - 1))],
            ordered[-1],
        )
    return _check(
        "every timer fired exactly once, not early", problems, f"{fired_total} timers fired"
    )


def _completions(people, events, items) -> list[Check]:
    told = {}  # token -> (user, work item, case, element)
    per_item = Counter()
    refused, unknown = set(), set()
    for person in people:
        for item_id, token, case_id, element in person.completed:
            told[token] = (person.user_id, item_id, case_id, element)
            per_item[item_id] += 1
        refused.update(person.refused)
        unknown.update(person.unknown)
    recorded = defaultdict(list)
    for case_events in events.values():
        for event in case_events:
            if event.kind == "task_completed":
                recorded[(event.data or {}).get("comment", "")].append(event)
    lost, doubled, wrong, phantom, ghosts = [], [], [], [], []
    for token, (user_id, item_id, case_id, element) in told.items():
        found = recorded.get(token, [])
        if not found:
            lost.append(f"item {item_id}")
        elif len(found) > 1:
            doubled.append(f"item {item_id} x{len(found)}")
        else:
            event = found[0]
            if (
                event.actor_id != user_id
                or (case_id and event.case_id != case_id)
                or (element and event.element_id != element)
            ):
                wrong.append(f"item {item_id}")
    doubled += [f"item {pk} told done {n} times" for pk, n in per_item.items() if n > 1]
    for token, found in recorded.items():
        if token in refused:
            phantom.append(f"refused completion recorded (case {found[0].case_id})")
        elif token not in told and token not in unknown:
            ghosts.append(f"case {found[0].case_id} {found[0].element_id}")
    by_item = {item.pk: item for item in items}
    for user_id, item_id, _case, _element in told.values():
        item = by_item.get(item_id)
        if item is None or item.status != "completed" or item.completed_by_id != user_id:
            wrong.append(f"work item {item_id} is not completed by the user told so")
    completed_rows = sum(item.status == "completed" for item in items)
    completed_events = sum(len(found) for found in recorded.values())
    if completed_rows != completed_events:
        wrong.append(f"{completed_rows} completed work items, {completed_events} history lines")
    detail = (
        f"{len(told)} told done, {len(refused)} refused, {len(unknown)} unanswered; "
        f"{completed_events} in the history"
    )
    return [
        _check(
            "every completion told done is in the history exactly once",
            lost + doubled + wrong,
            detail,
        ),
        _check(
            "no refused or unasked-for completion in the history",
            phantom + ghosts,
            f"{len(refused)} refused completions absent",
        ),
    ]


def _messages(people, events) -> Check:
    problems = []
    told = Counter(case_id for person in people for case_id in person.messages)
    unanswered = {case_id for person in people for case_id in person.messages_unanswered}
    received = Counter()
    for case_id, case_events in events.items():
        received[case_id] = sum(event.kind == "message" for event in case_events)
    for case_id, count in received.items():
        if count > 1:
            problems.append(f"case {case_id}: {count} messages")
        if count != told.get(case_id, 0) and case_id not in unanswered:
            problems.append(f"case {case_id}: told {told.get(case_id, 0)}, received {count}")
    return _check(
        "every message delivered exactly once", problems, f"{sum(told.values())} delivered"
    )


def _revisions(cases, events, items) -> Check:
    """Each step bumps the case's revision once; two steps that both wrote r+1 lose one.

    A step's history lines share its moment, and a step may do several things
    (a message step also fires a timer that fell due), so steps are counted
    as the distinct moments of the lines only steps write.
    """
    kinds = {"started", "task_completed", "message", "timer_fired", "step_failed", "retried"}
    problems = []
    for case_id, case in cases.items():
        counted = len({event.at for event in events[case_id] if event.kind in kinds})
        if case.revision != counted:
            problems.append(f"case {case_id}: revision {case.revision}, {counted} steps")
    # A work item's revision: one per claim, release or hand-over, and one for its end.
    moves = Counter(
        (event.case_id, event.element_id)
        for case_events in events.values()
        for event in case_events
        if event.kind in ("claimed", "released", "reassigned")
    )
    for item in items:
        expected = moves[(item.case_id, item.element_id)] + (item.status != "open")
        if item.revision != expected:
            problems.append(f"work item {item.pk}: revision {item.revision}, {expected} changes")
    return _check(
        "case and work item revisions match their changes (no lost update)",
        problems,
        f"{len(cases)} cases, {len(items)} work items",
    )


def _nothing_stuck(cases, events, items, people, stopped_at) -> Check:
    """An active case has an open task, a pending timer or a message it still waits for."""
    open_items = Counter(item.case_id for item in items if item.status == "open")
    sent = {case_id for person in people for case_id in person.messages}
    problems = []
    for case_id, case in cases.items():
        if case.status == "error":
            problems.append(f"case {case_id} stopped: {case.error_message[:120]}")
            continue
        if case.status not in ("running", "waiting"):
            continue
        if (case.status == "running") != bool(open_items[case_id]):
            problems.append(f"case {case_id} {case.status} with {open_items[case_id]} open items")
        if case.next_timer_at and case.next_timer_at + TIMER_GRACE < stopped_at:
            problems.append(f"case {case_id}: timer due {case.next_timer_at:%H:%M:%S} not fired")
        intake_done = any(
            e.kind == "task_completed" and e.element_id == "intake" for e in events[case_id]
        )
        awaits_message = intake_done and case_id not in sent
        if not (open_items[case_id] or case.next_timer_at or awaits_message):
            problems.append(f"case {case_id} {case.status} with nothing to do")
    active = sum(case.status in ("running", "waiting") for case in cases.values())
    return _check(
        "no case stuck in running/waiting with nothing to do",
        problems,
        f"{active} still active at the end",
    )


def _overdue_once(events, figures) -> Check:
    problems, total = [], 0
    for case_id, case_events in events.items():
        marks = Counter(event.element_id for event in case_events if event.kind == "overdue")
        total += sum(marks.values())
        problems += [f"case {case_id}: {el} flagged {n} times" for el, n in marks.items() if n > 1]
    figures["overdue_flags"] = total
    return _check("an overdue task is flagged once", problems, f"{total} flagged")


# Billing


def billing_checks(accountants: list[Accountant], today) -> tuple[list[Check], dict]:
    from obieg.billing.models import Invoice, Payment, ScheduleItem

    items = list(ScheduleItem.objects.select_related("invoice"))
    due = [item for item in items if item.due_date <= today]
    missing = [f"item {i.pk}: {i.last_error or 'not issued'}" for i in due if i.invoice_id is None]
    early = [f"item {i.pk} due {i.due_date}" for i in items if i.due_date > today and i.invoice_id]
    by_clock = sum(1 for i in due if i.invoice_id and i.invoice.created_by_id is None)
    figures = {
        "schedule_due": len(due),
        "schedule_future": len(items) - len(due),
        "issued_by_clock": by_clock,
        "issued_by_request": sum(1 for i in due if i.invoice_id) - by_clock,
        "invoices": Invoice.objects.count(),
    }
    planned = {pk for person in accountants for pk, _due in person.planned}
    absent = planned - {item.pk for item in items}
    checks = [
        _check(
            "every due schedule item invoiced exactly once, none early",
            missing + early + [f"planned item {pk} missing" for pk in absent],
            f"{len(due)} due, {len(items) - len(due)} not yet due",
        ),
        _numbering(figures),
        _told_invoices(accountants),
        _payments(accountants, Payment, Invoice),
        _no_orphans(Invoice),
    ]
    return checks, figures


def _numbering(figures) -> Check:
    """Per series and period, numbers 1..N with no gap or repeat, N = the counter."""
    from obieg.billing.models import Invoice, SeriesCounter
    from obieg.billing.numbering import period_key

    problems = []
    seqs = defaultdict(list)
    patterns = {}
    for number, series_id, pattern, reset, issued in Invoice.objects.values_list(
        "number", "series_id", "series__pattern", "series__reset", "issue_date"
    ):
        regex = patterns.setdefault(pattern, _number_regex(pattern))
        match = regex.fullmatch(number)
        if match is None:
            problems.append(f"{number} does not fit {pattern}")
            continue
        seqs[(series_id, period_key(reset, issued))].append(int(match.group("seq")))
    counters = {(c.series_id, c.period): c.last_number for c in SeriesCounter.objects.all()}
    for key, numbers in seqs.items():
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            problems.append(f"series {key}: {len(numbers)} invoices, numbers not 1..N")
        if counters.get(key) != len(numbers):
            problems.append(f"series {key}: counter {counters.get(key)}, {len(numbers)} invoices")
    figures["series"] = {f"{k[0]}:{k[1]}": len(v) for k, v in sorted(seqs.items())}
    return _check(
        "invoice numbers gap-free and unique per series",
        problems,
        ", ".join(f"{len(v)} in series {k[0]} {k[1]}" for k, v in seqs.items()),
    )


def _number_regex(pattern: str) -> re.Pattern:
    fields = {"yyyy": r"\d{4}", "yy": r"\d{2}", "mm": r"\d{2}"}
    out = ""
    for part in re.split(r"(\{[^}]*\})", pattern):
        name = part[1:-1].split(":")[0] if part.startswith("{") else None
        if name == "seq":
            out += r"(?P<seq>\d+)"
        elif name in fields:
            out += fields[name]
        else:
            out += re.escape(part)
    return re.compile(out)


def _told_invoices(accountants) -> Check:
    from obieg.billing.models import Invoice

    told = {pk: number for person in accountants for pk, number in person.invoices}
    stored = dict(Invoice.objects.filter(pk__in=told).values_list("pk", "number"))
    problems = [f"invoice {pk} {n}" for pk, n in told.items() if stored.get(pk) != n]
    return _check(
        "every invoice told issued is stored with its number",
        problems,
        f"{len(told)} issued through the API",
    )


def _payments(accountants, Payment, Invoice) -> Check:
    told = [entry for person in accountants for entry in person.payments]
    references = Counter(Payment.objects.values_list("reference", flat=True))
    problems = [
        f"payment {ref} stored {references[ref]} times"
        for _inv, ref, _amount in told
        if references[ref] != 1
    ]
    stored = defaultdict(Decimal)
    for invoice_id, amount in Payment.objects.values_list("invoice_id", "amount"):
        stored[invoice_id] += amount
    for invoice in Invoice.objects.filter(pk__in=stored):
        expected = "paid" if invoice.paid >= invoice.gross else "partly_paid"
        if invoice.paid != stored[invoice.pk] or invoice.status != expected:
            problems.append(
                f"{invoice.number}: paid {invoice.paid}, payments "
                f"{stored[invoice.pk]}, status {invoice.status}"
            )
    return _check(
        "every payment stored once; paid = sum of payments",
        problems,
        f"{len(told)} payments on {len(stored)} invoices",
    )


def _no_orphans(Invoice) -> Check:
    """An invoice the scheduler issued belongs to a schedule item (no second issue)."""
    orphans = Invoice.objects.filter(created_by__isnull=True, schedule_item__isnull=True)
    problems = [
        f"{number} has no schedule item" for number in orphans.values_list("number", flat=True)
    ]
    return _check("no invoice issued twice for one schedule item", problems, "")


def job_figures() -> dict:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values_list(
        "status", "task_path", "exception_class_path", "worker_ids"
    )
    by_status = Counter(status for status, _path, _error, _w in rows)
    # After the workers stopped, a RUNNING job is one a killed worker left and no clock handed
    # back (obieg.core.leases); a job taken by two workers or more was handed back and run again.
    stranded = Counter(
        path.rsplit(".", 1)[-1] for status, path, _e, _w in rows if status == "RUNNING"
    )
    handed_back = Counter(
        f"{path.rsplit('.', 1)[-1]} → {status}" for status, path, _e, ids in rows if len(ids) > 1
    )
    failed = Counter(
        f"{path.rsplit('.', 1)[-1]}: {error}"
        for status, path, error, _w in rows
        if status == "FAILED"
    )
    # Schedule items an issuing job left for the next run (refused, or behind an earlier one).
    left = sum(
        len(value.get("refused") or {})
        for value in DBTaskResult.objects.filter(task_path__endswith="issue_due_invoices_task")
        .exclude(return_value=None)
        .values_list("return_value", flat=True)
    )
    return {
        "by_status": dict(by_status),
        "stranded": dict(stranded),
        "handed_back": dict(handed_back),
        "failed": dict(failed),
        "left_for_next_run": left,
    }


def _check(name: str, problems: list[str], detail: str) -> Check:
    if problems:
        shown = "; ".join(problems[:8]) + (
            f" … ({len(problems)} in all)" if len(problems) > 8 else ""
        )
        return Check(name, False, shown)
    return Check(name, True, detail)
