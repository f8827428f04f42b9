"""The adapter to SpiffWorkflow: the only code in Obieg that imports it.

Everything else in the engine talks to `spiff.instance.Instance` and to
plain data (ids, names, dicts), so SpiffWorkflow can be upgraded or
replaced by changing this package alone.
"""
