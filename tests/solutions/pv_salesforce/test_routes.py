"""The route solver on its own: windows, hours, buffers, and against the nearest-first plan."""

from __future__ import annotations

import random

from obieg.solutions.pv_salesforce import geo, routes
from obieg.solutions.pv_salesforce.routes import Visit, Worker

H = 3600
KRAKOW, KATOWICE = (50.06, 19.94), (50.26, 19.02)


def scenario(seed: int = 0, visits: int = 10):
    """Two salespeople, Kraków and Katowice, and visits scattered between and around them."""
    rng = random.Random(seed)
    workers = [Worker(1, KRAKOW, 8 * H, 18 * H), Worker(2, KATOWICE, 8 * H, 18 * H)]
    result = []
    for i in range(visits):
        centre = (KRAKOW, KATOWICE)[i % 2]
        point = (centre[0] + rng.uniform(-0.15, 0.15), centre[1] + rng.uniform(-0.2, 0.2))
        start = rng.choice([8, 10, 12, 14]) * H
        result.append(Visit(100 + i, point, 45 * 60, start, start + 4 * H - 45 * 60))
    return workers, result


def check_feasible(plan, workers, visits, buffer):
    """Every visit starts in its window, after the drive, and everyone is home in time."""
    by_id = {v.id: v for v in visits}
    for worker in workers:
        here, free = worker.home, worker.start
        for stop in plan.routes[worker.id]:
            visit = by_id[stop.visit_id]
            assert visit.earliest <= stop.start <= visit.latest
            assert stop.start >= free + geo.travel_seconds(here, visit.point) + buffer - 1
            here, free = visit.point, stop.start + visit.service
        assert free + geo.travel_seconds(here, worker.home) <= worker.end + 1
    placed = [s.visit_id for stops in plan.routes.values() for s in stops]
    assert sorted(placed + plan.unplaced) == sorted(by_id)


def test_the_solver_plans_feasible_days_and_drives_less_than_nearest_first():
    workers, visits = scenario()

    solved = routes.solve(workers, visits, buffer=600, seconds=2)
    baseline = routes.nearest_first(workers, visits, buffer=600)

    check_feasible(solved, workers, visits, 600)
    check_feasible(baseline, workers, visits, 600)
    assert solved.placed == baseline.placed == len(visits)
    assert solved.travel <= baseline.travel


def test_a_visit_starts_inside_its_window_and_ends_before_it_closes():
    workers = [Worker(1, KRAKOW, 8 * H, 18 * H)]
    # Next door, but the customer is in only from 15:00 to 16:30 for a one-hour visit.
    visits = [Visit(1, (50.07, 19.95), H, 15 * H, 15 * H + 30 * 60)]

    plan = routes.solve(workers, visits, buffer=600)

    assert plan.unplaced == []
    assert 15 * H <= plan.routes[1][0].start <= 15 * H + 30 * 60


def test_a_visit_beyond_the_working_day_is_reported_not_dropped():
    workers = [Worker(1, KRAKOW, 8 * H, 16 * H)]
    visits = [
        Visit(1, (50.07, 19.95), H, 9 * H, 12 * H),
        # From 15:30 an hour's visit ends after 16:00, when the day ends.
        Visit(2, (50.07, 19.95), H, 15 * H + 30 * 60, 17 * H),
    ]

    plan = routes.solve(workers, visits, buffer=600)

    assert [s.visit_id for s in plan.routes[1]] == [1]
    assert plan.unplaced == [2]


def test_the_travel_buffer_keeps_visits_apart():
    workers = [Worker(1, KRAKOW, 8 * H, 18 * H)]
    point = (50.07, 19.95)
    visits = [Visit(1, point, H, 9 * H, 9 * H), Visit(2, point, H, 10 * H, 11 * H)]

    plan = routes.solve(workers, visits, buffer=15 * 60)

    starts = {s.visit_id: s.start for s in plan.routes[1]}
    assert starts[2] >= starts[1] + H + 15 * 60


def test_nobody_to_plan_leaves_every_visit_unplaced():
    visits = [Visit(1, KRAKOW, H, 9 * H, 12 * H)]

    assert routes.solve([], visits).unplaced == [1]
    assert routes.nearest_first([], visits).unplaced == [1]


def test_postal_areas_cover_poland_and_estimate_drives():
    areas = geo.postal_areas()

    assert len(areas) == 99 and "79" not in areas
    assert all(49.0 <= lat <= 55.0 and 14.0 <= lon <= 24.2 for lat, lon in areas.values())
    assert geo.area_of("31-042") == "31" and geo.area_of("x") is None
    # Warsaw–Kraków is about 250 km in a straight line: 1.3 × 250 km at 60 km/h ≈ 5.4 h.
    minutes = geo.travel_seconds(areas["00"], areas["30"]) / 60
    assert 300 <= minutes <= 345
