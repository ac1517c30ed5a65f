"""notice-gen: Vietnamese administrative notices from structured records.

The pipeline is load -> validate -> compose -> render -> check -> write
(`notice_gen.pipeline.document`). Its functions are imported from here on first
use, so the command line starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import NoticeGenError, OutputError, Problem, RecordError, TemplateError

if TYPE_CHECKING:
    from .pipeline.document import (
        check_rendered,
        read_record,
        render_file,
        render_record,
        template_for,
    )

__all__ = [
    "NoticeGenError",
    "OutputError",
    "Problem",
    "RecordError",
    "TemplateError",
    "check_rendered",
    "read_record",
    "render_file",
    "render_record",
    "template_for",
]
_LAZY = {"check_rendered", "read_record", "render_file", "render_record", "template_for"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from .pipeline import document

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
