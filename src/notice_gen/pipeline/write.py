"""Stage 5, write: put documents on disk atomically, never over a person's edits.

Each output folder keeps a manifest of what notice-gen wrote there and the
SHA-256 of each file. A file whose bytes no longer match (a person edited it)
or that notice-gen did not write is kept unless the caller forces.
"""

from __future__ import annotations

import errno
import hashlib
import json
from pathlib import Path

from ..atomic import atomic_file, atomic_write
from ..errors import OutputError
from ..i18n import _

MANIFEST = ".notice-gen.json"
ENCODE = json.JSONEncoder(ensure_ascii=False).encode  # the C encoder, one line
QUOTE = json.encoder.encode_basestring  # a str as JSON, non-ASCII kept


class WriteError(OutputError):
    """The system refused a write (disk full, read-only, no permission)."""


def os_message(path: Path, exc: OSError) -> str:
    """A plain message for a failed write to `path`, saying what to do."""
    plain = {
        errno.ENOSPC: _("the disk is full ({reason}); free some space, then run again"),
        errno.EDQUOT: _("the disk quota is used up ({reason}); free some space, then run again"),
        errno.EROFS: _("the folder is read-only ({reason}); choose another with -o"),
        errno.EACCES: _("no permission to write ({reason}); choose another folder with -o"),
        errno.EPERM: _("no permission to write ({reason}); choose another folder with -o"),
        errno.ENAMETOOLONG: _("the name is too long ({reason}); choose shorter names"),
    }
    why = plain.get(exc.errno or 0, _("cannot write ({reason})"))
    return f"{path}: " + why.format(reason=exc.strerror or exc)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputDir:
    """A folder of generated documents and the manifest that protects them."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                _("{path}: cannot create the folder ({reason})").format(
                    path=self.path, reason=exc.strerror
                )
            ) from None
        self.files: dict[str, dict[str, str]] = self._read_manifest()

    def _read_manifest(self) -> dict[str, dict[str, str]]:
        try:
            files: dict[str, dict[str, str]] = json.loads(
                (self.path / MANIFEST).read_text("utf-8")
            )["files"]
            return files
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError):
            raise OutputError(
                _("{path}: the manifest is unreadable; move it away to start afresh").format(
                    path=self.path / MANIFEST
                )
            ) from None

    def write(self, name: str, data: bytes, source: Path, *, force: bool = False) -> bool:
        """Write `name`; False when it already holds exactly `data`.

        Raises `OutputError` when the existing file was changed after notice-gen wrote
        it, or was not written by notice-gen, unless `force`.
        """
        status, digest = put(self.path / name, data, self.recorded(name), force=force)
        self.record(name, digest, source)
        self.save()
        return status == "written"

    def recorded(self, name: str) -> str | None:
        """The SHA-256 notice-gen recorded for `name`, if it wrote it."""
        return self.files.get(name, {}).get("sha256")

    def record(self, name: str, digest: str, source: Path | str) -> None:
        self.files[name] = {"sha256": digest, "source": str(source)}

    def save(self) -> None:
        """The hash store, one file a line (json's indented writer is slow)."""
        try:
            with atomic_file(self.path / MANIFEST) as handle:
                handle.write(b'{"version": 1, "files": {')
                comma = b"\n"
                for name, entry in sorted(self.files.items()):
                    line = f" {QUOTE(name)}: {ENCODE(entry)}"
                    handle.write(comma + line.encode("utf-8", "replace"))
                    comma = b",\n"
                handle.write(b"\n}}\n")
        except OSError as exc:
            raise WriteError(os_message(self.path / MANIFEST, exc)) from None


def put(
    target: Path | str,
    data: bytes,
    recorded: str | None,
    *,
    force: bool = False,
    durable: bool = True,
    digest: str | None = None,
) -> tuple[str, str]:
    """Write `data` at `target` unless that loses a person's edits.

    Returns the status (`written` or `unchanged`) and the SHA-256 of `data` (`digest`,
    when the caller has it already). Raises `OutputError` when the file there differs
    from `recorded` (edited by hand, or not written by notice-gen) and `force` is false.
    """
    digest = digest or sha256(data)
    try:
        with open(target, "rb") as handle:  # one failed open when there is no file
            current: str | None = sha256(handle.read())
    except FileNotFoundError:
        current = None
    except OSError as exc:
        raise WriteError(os_message(Path(target), exc)) from None
    if current is not None:
        if current == digest:
            return "unchanged", digest
        if not force and recorded != current:
            if recorded:
                why = _(
                    "{path}: was changed after notice-gen wrote it; it is kept "
                    "(use --force to overwrite)"
                )
            else:
                why = _(
                    "{path}: was not written by notice-gen; it is kept (use --force to overwrite)"
                )
            raise OutputError(why.format(path=target))
    try:
        atomic_write(target, data, durable=durable)
    except OSError as exc:
        raise WriteError(os_message(Path(target), exc)) from None
    return "written", digest
