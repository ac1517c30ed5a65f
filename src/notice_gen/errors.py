"""The errors notice-gen reports to its users; none of them is shown as a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class NoticeGenError(Exception):
    """Base class: a failure explained by its message. Exit status 1."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One mistake in a record: where it is and what was expected."""

    file: Path
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


class RecordError(NoticeGenError):
    """A record that cannot be read or does not follow the record format. Exit status 2."""

    exit_code = 2

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


class TemplateError(NoticeGenError):
    """A template that cannot be compiled or rendered."""


class OutputError(NoticeGenError):
    """An output file that cannot or must not be written."""
