"""What deploy found in a model: refusals (nothing is deployed) and warnings (deployed anyway).

Each finding names the file, the element (id and name) and says what is
not supported and what to write instead, so the person who drew the
model can find and fix it:

    invoice.bpmn: send_invoice (Send the invoice): runs as an external task on topic 'mail' …

`str(finding)` keeps the shorter "file: element id: reason" form that
`DeployError.problems` always carried; `line()` is the full form the
`obieg deploy` command and the pages print.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    file: str
    element_id: str
    message: str
    name: str = ""
    refused: bool = True

    def __str__(self) -> str:
        return f"{self.file or '?'}: {self.element_id or '-'}: {self.message}"

    def line(self) -> str:
        """`file: element id (name): message`, with the name only when the element has one."""
        where = self.element_id or "-"
        if self.name and self.name != self.element_id:
            where = f"{where} ({self.name})"
        kind = "" if self.refused else "warning: "
        return f"{self.file or '?'}: {where}: {kind}{self.message}"


@dataclass
class Findings:
    """Refusals and warnings of one check, in the order they were found."""

    items: list[Finding] = field(default_factory=list)

    def refuse(self, file: str, element_id: str, message: str, name: str = "") -> None:
        self.items.append(Finding(file, element_id, message, name or "", refused=True))

    def warn(self, file: str, element_id: str, message: str, name: str = "") -> None:
        self.items.append(Finding(file, element_id, message, name or "", refused=False))

    def extend(self, other: Findings | list[Finding]) -> None:
        self.items.extend(other.items if isinstance(other, Findings) else other)

    @property
    def refusals(self) -> list[Finding]:
        return [item for item in self.items if item.refused]

    @property
    def warnings(self) -> list[Finding]:
        return [item for item in self.items if not item.refused]

    def for_file(self, file: str) -> list[Finding]:
        return [item for item in self.items if item.file == file]
