"""How fast hostile FEEL is stopped, and how others fare meanwhile.

Usage:
    .venv/bin/python bench/feel_hostile.py

Evaluates the hostile set of issue #14 (huge numbers, list and string growth,
deep nesting, endless recursion, long loops) through the same entry as
process models (`expressions.validate` at deploy, `expressions.evaluate` at run
time) and prints, per expression, where it was stopped and after how long.
Meanwhile a second thread evaluates an ordinary condition again and again, as
another user's request would; its count and p95 latency show that nobody waits
for the hostile one. Ends with `hostile FEEL: slowest stop <s> s, other
evaluations p95 <ms> ms during`.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
import django  # noqa: E402

django.setup()

from obieg.engine import expressions  # noqa: E402

HOSTILE = [
    "= round(decimal(1e500000, 0))",
    "= round up(10 ** 999999, 0)",
    "= sum(for i in 1..400 return for j in 1..10000 return [1])",
    "= count(for i in 1..1000000000 return i)",
    '= string join(for i in 1..1000000 return "0123456789abcdef")',
    "= " + "(" * 2000 + "1" + ")" * 2000,
    "= " + "[" * 2000 + "]" * 2000,
    "= {f: function(n) f(n + 1), r: f(1)}.r",
    "= some i in 1..100000, j in 1..100000 satisfies i < 0",
    '= for i in 1..100000 return string join(for j in 1..1000 return "xxxxxxxxxx")',
    '= matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a+)+$")',
]
ORDINARY = '= amount > 1000 and kind = "PV"'


def stop(text: str) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        expressions.validate(text)
    except expressions.ExpressionError as error:
        return f"refused at deploy: {str(error)[:70]}", time.perf_counter() - started
    try:
        value = expressions.evaluate(text, {})
    except expressions.ExpressionError as error:
        message = str(error).split(": ")[-1]
        return f"stopped: {message[:70]}", time.perf_counter() - started
    return f"ran to {type(value).__name__}", time.perf_counter() - started


def main() -> int:
    latencies: list[float] = []
    running = threading.Event()
    running.set()

    def other_user():
        names = {"amount": 1500, "kind": "PV"}
        while running.is_set():
            started = time.perf_counter()
            assert expressions.evaluate(ORDINARY, names) is True
            latencies.append(time.perf_counter() - started)
            time.sleep(0.005)  # a request now and then, not a busy loop

    neighbour = threading.Thread(target=other_user)
    neighbour.start()
    slowest = 0.0
    try:
        for text in HOSTILE:
            outcome, seconds = stop(text)
            slowest = max(slowest, seconds)
            shown = text if len(text) <= 60 else text[:57] + "..."
            print(f"{seconds:7.3f} s  {shown:60}  {outcome}")
    finally:
        running.clear()
        neighbour.join()
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 20 else float("nan")
    print(f"ordinary evaluations meanwhile: {len(latencies)}, p95 {p95:.2f} ms")
    print(f"hostile FEEL: slowest stop {slowest:.2f} s, other evaluations p95 {p95:.2f} ms during")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
