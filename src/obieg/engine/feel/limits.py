"""Resource limits for one FEEL parse or evaluation.

A process model is data written by users, so every expression runs with
bounded time and memory: the source length and nesting are checked when the
text is parsed; numbers live in a decimal128 context (34 digits, exponent
within +-6144) so overflow gives null instead of a million-digit number; the
strings and lists an expression builds have a maximum length; and every
evaluation step draws from a budget. The step count is the limit that
decides (the same expression stops at the same point on every machine); a
wall-clock deadline behind it guarantees that no evaluation holds a worker
for more than `max_seconds`, whatever the machine's speed.
"""

from __future__ import annotations

import decimal
import time
from dataclasses import dataclass

from .errors import FeelLimitError

# FEEL numbers: 34 significant digits, half-even rounding, decimal128 range.
DECIMAL_CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_EVEN,
    Emax=6144,
    Emin=-6143,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


@dataclass(frozen=True)
class Limits:
    max_source_length: int = 20_000
    max_nesting: int = 100
    max_steps: int = 1_000_000
    max_string_length: int = 1_000_000
    max_list_length: int = 100_000
    max_seconds: float = 1.0


# The clock is read once per this many steps: cheap, and at well under a
# millisecond per batch the deadline is still kept to the millisecond.
CLOCK_EVERY = 2048


DEFAULT_LIMITS = Limits()


class Budget:
    """Counts evaluation steps and checks the size of built values."""

    __slots__ = ("limits", "steps", "deadline", "next_clock_check")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.steps = 0
        self.deadline = time.monotonic() + limits.max_seconds
        self.next_clock_check = CLOCK_EVERY

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.limits.max_steps:
            raise FeelLimitError(
                f"expression stopped after {self.limits.max_steps:,} evaluation steps"
            )
        if self.steps >= self.next_clock_check:
            self.next_clock_check = self.steps + CLOCK_EVERY
            if time.monotonic() > self.deadline:
                raise FeelLimitError(
                    f"expression stopped after {self.limits.max_seconds:g} s of evaluation"
                )

    def check_string(self, text: str) -> str:
        if len(text) > self.limits.max_string_length:
            raise FeelLimitError(f"string longer than {self.limits.max_string_length:,} characters")
        return text

    def limit_list(self, size: int) -> None:
        """Refuse a list over the limit (no steps charged: the caller charges per item)."""
        if size > self.limits.max_list_length:
            raise FeelLimitError(f"list longer than {self.limits.max_list_length:,} items")

    def check_list_size(self, size: int) -> None:
        """Refuse a list over the limit and charge for building it at once."""
        self.limit_list(size)
        self.step(size // 16)

    def check_list(self, items: list) -> list:
        self.check_list_size(len(items))
        return items
