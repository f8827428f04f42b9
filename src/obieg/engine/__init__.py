"""The process engine: BPMN/DMN cases on SpiffWorkflow, with inbox, timers and history.

Public entry points: `runtime.services` (changes), `selectors` (reads),
`registry` (solutions register actions and forms), `deploy` (models).
"""
