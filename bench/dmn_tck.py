"""Run the DMN TCK (compliance levels 2 and 3) through Obieg's DMN evaluation.

Usage:
    .venv/bin/python bench/dmn_tck.py [--root DIR] [--show 20] [--filter 0007]

DIR defaults to ../shared/dmn-tck/TestCases next to the checkout.

Prints passed / failed / errored per level with the first failures, and ends
with `DMN TCK: level 2 <passed>/<total>, level 3 <passed>/<total>`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
# now() and today() read the one clock, which needs Django's settings (time zone).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
import django  # noqa: E402

django.setup()

from obieg.engine.decisions.tck import default_root, find_case_files, run_case_file  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=None)
    parser.add_argument("--show", type=int, default=15, help="failures to print per level")
    parser.add_argument("--filter", default="", help="only folders whose name contains this")
    args = parser.parse_args()
    root = args.root or default_root()
    started = time.monotonic()
    counts: dict[int, Counter[str]] = {2: Counter(), 3: Counter()}
    shown: dict[int, list[str]] = {2: [], 3: []}
    for case_file in find_case_files(root):
        if args.filter not in case_file.folder.name:
            continue
        for outcome in run_case_file(case_file):
            counts[outcome.level][outcome.status] += 1
            if outcome.status != "passed" and len(shown[outcome.level]) < args.show:
                where = f"{outcome.case_file} #{outcome.test_id} {outcome.node}"
                shown[outcome.level].append(f"  {outcome.status.upper()} {where}: {outcome.detail}")
    for level in (2, 3):
        c = counts[level]
        total = sum(c.values())
        print(
            f"Level {level}: {c['passed']} passed, {c['failed']} failed,"
            f" {c['errored']} errored of {total}"
        )
        for line in shown[level]:
            print(line)
    print(f"({time.monotonic() - started:.1f} s)")
    l2, l3 = counts[2], counts[3]
    level_2 = f"{l2['passed']}/{sum(l2.values())}"
    level_3 = f"{l3['passed']}/{sum(l3.values())}"
    print(f"DMN TCK: level 2 {level_2}, level 3 {level_3}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
