"""Errors raised by the FEEL interpreter.

Evaluation problems inside an expression (wrong types, division by zero, a
missing name) are not errors: FEEL gives null for them. These exceptions are
for what the caller must hear about: text that is not FEEL, and expressions
that hit a resource limit.
"""

from __future__ import annotations


class FeelError(Exception):
    """Any problem the FEEL interpreter reports to its caller."""


class FeelSyntaxError(FeelError):
    """The text is not a FEEL expression (or unary tests)."""


class FeelLimitError(FeelError):
    """The expression went over a resource limit (size, depth, steps, memory)."""
