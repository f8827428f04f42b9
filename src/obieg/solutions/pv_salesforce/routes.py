"""The route solver: which field salesperson visits which customer, and when.

One day's booked meetings are spread over the field salespeople who work
that day. Each starts and ends at their home base, inside their working
hours; each visit starts inside the window promised to the customer and
ends before the window does; every drive gets a travel buffer on top of the
estimate (`SALESFORCE_TRAVEL_BUFFER_MINUTES`, 10 by default). VROOM
(`pyvroom`) solves this vehicle-routing problem with time windows on a
drive-time matrix from geo.py; a meeting that fits nobody is reported as
unplaced, never dropped.

`nearest_first` is the obvious hand plan — each salesperson drives to the
nearest visit they can still make — kept only to measure the solver against
(the bench and the tests).

Times inside this module are seconds from the day's local midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import vroom
from django.conf import settings
from django.utils import timezone

from obieg.solutions.pv_salesforce import geo

DEFAULT_TRAVEL_BUFFER_MINUTES = 10
DEFAULT_SOLVER_SECONDS = 3
EXPLORATION_LEVEL = 5


BOOKED_PRIORITY = 100  # a meeting promised to a customer
FILL_IN_PRIORITY = 0  # a fill-in visit: placed only where no promised meeting loses by it


@dataclass(frozen=True)
class Visit:
    """A visit to place: where, how long, and the earliest and latest start.

    A fill-in (`fill_in`) is a field-queue customer with no time promised: it
    takes one of the salesperson's fill-in places (`Worker.fill_ins`) and the
    lowest priority, so the solver never drops a promised meeting for it.
    `only_worker` keeps a visit the manager handed to one person with them.
    """

    id: int
    point: geo.Point
    service: int
    earliest: int
    latest: int
    fill_in: bool = False
    only_worker: int | None = None


@dataclass(frozen=True)
class Worker:
    """A field salesperson's day: home base, working hours, room for fill-in visits.

    `origin` is where the day (re)starts when it is not home: re-planning today
    starts each person after their last visit already under way.
    """

    id: int
    home: geo.Point
    start: int
    end: int
    fill_ins: int = 0
    origin: geo.Point | None = None


@dataclass(frozen=True)
class Stop:
    visit_id: int
    start: int  # when the visit begins
    travel: int  # the drive to it from the previous stop (without the buffer)


@dataclass
class Plan:
    """Each worker's visits in order, the visits nobody could make, the total drive."""

    routes: dict[int, list[Stop]] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)
    travel: int = 0  # seconds, homes included, buffers excluded

    @property
    def placed(self) -> int:
        return sum(len(stops) for stops in self.routes.values())


def travel_buffer() -> int:
    minutes = getattr(settings, "SALESFORCE_TRAVEL_BUFFER_MINUTES", DEFAULT_TRAVEL_BUFFER_MINUTES)
    return int(minutes) * 60


def _points(workers: list[Worker], visits: list[Visit]) -> list[geo.Point]:
    """Matrix points: homes, visits, then the origins of those who start elsewhere."""
    origins = [w.origin for w in workers if w.origin is not None]
    return [w.home for w in workers] + [v.point for v in visits] + origins


def _origins(workers: list[Worker], visits: list[Visit]) -> list[int]:
    """Each worker's starting point in the matrix (their home unless they start elsewhere)."""
    starts, extra = [], len(workers) + len(visits)
    for index, worker in enumerate(workers):
        if worker.origin is None:
            starts.append(index)
        else:
            starts.append(extra)
            extra += 1
    return starts


def _route_travel(matrix, start: int, home: int, indices: list[int]) -> int:
    path = [start, *indices, home]
    return sum(matrix[a][b] for a, b in zip(path, path[1:], strict=False))


def solve(
    workers: list[Worker],
    visits: list[Visit],
    *,
    buffer: int | None = None,
    matrix: list[list[int]] | None = None,
    seconds: float | None = None,
) -> Plan:
    """The solver's plan: as many visits as fit, then the least driving (VROOM)."""
    buffer = travel_buffer() if buffer is None else buffer
    if matrix is None:
        matrix = geo.duration_matrix(_points(workers, visits))
    plan = Plan(routes={w.id: [] for w in workers})
    if not visits or not workers:
        plan.unplaced = [v.id for v in visits]
        return plan
    first_visit = len(workers)
    last_visit = first_visit + len(visits)
    starts = _origins(workers, visits)
    # The buffer is slack before every visit: the solver plans with it, the totals leave it out.
    padded = [
        [d + (buffer if first_visit <= j < last_visit and i != j else 0) for j, d in enumerate(row)]
        for i, row in enumerate(matrix)
    ]
    problem = vroom.Input()
    problem.set_durations_matrix("car", padded)
    skill_of = {worker.id: index for index, worker in enumerate(workers)}
    for index, worker in enumerate(workers):
        problem.add_vehicle(
            vroom.Vehicle(
                index,
                start=starts[index],
                end=index,
                skills={index},  # a visit kept with one person requires theirs
                # One dimension counts fill-in visits against the person's room for them.
                capacity=vroom.Amount([worker.fill_ins]),
                time_window=vroom.TimeWindow(worker.start, worker.end),
            )
        )
    for offset, visit in enumerate(visits):
        problem.add_job(
            vroom.Job(
                offset,
                location=first_visit + offset,
                default_service=visit.service,
                delivery=vroom.Amount([1 if visit.fill_in else 0]),
                priority=FILL_IN_PRIORITY if visit.fill_in else BOOKED_PRIORITY,
                skills={skill_of[visit.only_worker]} if visit.only_worker in skill_of else None,
                time_windows=[vroom.TimeWindow(visit.earliest, visit.latest)],
            )
        )
    if seconds is None:
        seconds = getattr(settings, "SALESFORCE_SOLVER_SECONDS", DEFAULT_SOLVER_SECONDS)
    solution = problem.solve(
        exploration_level=EXPLORATION_LEVEL, nb_threads=2, timeout=timedelta(seconds=seconds)
    ).to_dict()
    assigned = set()
    for route in solution.get("routes", []):
        worker_index = route["vehicle"]
        previous = starts[worker_index]
        stops, indices = [], []
        for step in route["steps"]:
            if step["type"] != "job":
                continue
            offset = step["id"]
            location = first_visit + offset
            stops.append(
                Stop(
                    visit_id=visits[offset].id,
                    start=step["arrival"] + step.get("waiting_time", 0),
                    travel=matrix[previous][location],
                )
            )
            indices.append(location)
            previous = location
            assigned.add(offset)
        plan.routes[workers[worker_index].id] = stops
        plan.travel += _route_travel(matrix, starts[worker_index], worker_index, indices)
    plan.unplaced = [v.id for offset, v in enumerate(visits) if offset not in assigned]
    return plan


def nearest_first(
    workers: list[Worker],
    visits: list[Visit],
    *,
    buffer: int | None = None,
    matrix: list[list[int]] | None = None,
) -> Plan:
    """The hand plan: whoever is free first drives to the nearest visit they can still make.

    A visit is feasible when it can start inside its window and the salesperson
    can still get home by the end of the day. Kept for comparison only.
    """
    buffer = travel_buffer() if buffer is None else buffer
    if matrix is None:
        matrix = geo.duration_matrix(_points(workers, visits))
    first_visit = len(workers)
    starts = _origins(workers, visits)
    plan = Plan(routes={w.id: [] for w in workers})
    left = set(range(len(visits)))
    # Per worker: where they are (matrix index), when they are free, their visits' indices.
    state = {i: [starts[i], w.start, []] for i, w in enumerate(workers)}
    active = set(state)
    while active and left:
        index = min(active, key=lambda i: (state[i][1], i))
        worker, (here, free, _done) = workers[index], state[index]
        best = None
        for offset in left:
            visit, location = visits[offset], first_visit + offset
            drive = matrix[here][location]
            begin = max(free + drive + buffer, visit.earliest)
            if begin > visit.latest:
                continue
            if begin + visit.service + matrix[location][index] > worker.end:
                continue
            # Nearest in time: the visit that can begin soonest (the drive plus any wait),
            # so nobody drives to an afternoon visit at eight and waits there.
            if best is None or (begin, drive) < best[0]:
                best = ((begin, drive), offset, begin, drive)
        if best is None:
            active.discard(index)
            continue
        _key, offset, begin, drive = best
        left.discard(offset)
        location = first_visit + offset
        plan.routes[worker.id].append(Stop(visit_id=visits[offset].id, start=begin, travel=drive))
        state[index] = [location, begin + visits[offset].service, [*_done, location]]
    for index in state:
        plan.travel += _route_travel(matrix, starts[index], index, state[index][2])
    plan.unplaced = [visits[offset].id for offset in sorted(left)]
    return plan


# Between records and seconds of a day.


def midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def seconds_of(moment: datetime, day: date) -> int:
    """The local wall-clock seconds of `moment` counted from `day`'s midnight."""
    local = timezone.localtime(moment).replace(tzinfo=None)
    return int((local - datetime.combine(day, time(0, 0))).total_seconds())


def moment_of(seconds: int, day: date) -> datetime:
    # Through local wall time: a day of a clock change still reads right.
    naive = datetime.combine(day, time(0, 0)) + timedelta(seconds=seconds)
    return timezone.make_aware(naive)


def day_seconds(clock_time: time) -> int:
    return clock_time.hour * 3600 + clock_time.minute * 60
