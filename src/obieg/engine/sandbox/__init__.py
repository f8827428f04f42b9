"""Test runs of studio drafts: run a draft's process without deploying it, reaching nobody.

`runs` starts, steps and discards a run; `rehearsal` runs its actions and
undoes them; `holding` keeps its tasks, external tasks and signals from
everyone else; `selectors` reads runs for the pages (`web.views_sandbox`).
"""
