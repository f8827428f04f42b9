"""The process studio (#15): process administrators upload, draw, check and deploy models.

A solution's *workspace* is the files its current versions hold; drafts
(uploaded or drawn files, `StudioDraft`) are laid over it, checked with the
same checks as any deploy (`engine.deploy`), and deployed together as new
versions. Running cases stay on their versions.
"""
