"""Solutions: one Django app per business domain, on top of the CRM core and the engine.

A solution registers its forms and actions with the engine and keeps its
BPMN/DMN models in its own `processes/` folder; it never imports another
solution.
"""
