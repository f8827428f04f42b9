"""Sales reports: pipeline, won and lost, forecast, activity per salesperson.

Each report is one GROUP BY in the database over the people the reader may
report on (`scope.py`), whatever the number of opportunities or activities;
amounts are summed as whole grosze so they stay exact on SQLite as well
(`sums.py`). A report returns a `Table` (`table.py`) that the page, its chart
and the CSV/XLSX export all read, so the three never disagree.
"""
