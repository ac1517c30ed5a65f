"""The one bounded way to open a .docx: a zip read with limits, XML parsed without entities.

The file's size is checked before it is read (`read_docx`); every member name, count,
uncompressed size, encryption and compression method is checked against the limits
below from the zip's directory before anything is decompressed, and a member that
decompresses to more than it declares is refused too. XML members carry no DTD (OOXML
never has one), so no entity is ever expanded or fetched. Templates, documents to
check, drafts to import and the OOXML validator all open packages here.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath
from types import TracebackType

from lxml import etree

from ..i18n import _

MAX_FILE_BYTES = 64 * 1024 * 1024  # the .docx file itself
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # uncompressed, any one member
MAX_TOTAL_BYTES = 128 * 1024 * 1024  # uncompressed, all members
MAX_XML_TAGS = 1_000_000  # start tags in one XML member (about 300,000 paragraphs)
XML_SUFFIXES = (".xml", ".rels")


class PackageError(zipfile.BadZipFile):
    """A .docx that is refused before it is read (a broken zip is one too)."""


def parser() -> etree.XMLParser:
    """The XML parser for everything notice-gen reads: no entities, no network, no huge tree."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def parse_xml(data: bytes) -> etree._Element:
    """Parse one XML part with `parser()`."""
    return etree.fromstring(data, parser())


def unsafe_name(name: str) -> bool:
    """An absolute member name, a `..` step, a drive or a backslash: never a part."""
    path = PurePosixPath(name)
    return (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
        or "\x00" in name
    )


def megabytes(size: int) -> int:
    """`size` bytes in whole MB, rounded up: a byte over a limit shows as over it."""
    return -(-size // 2**20)


def read_docx(path: Path) -> bytes:
    """The bytes of the .docx at `path`, its size checked before it is read.

    Raises `PackageError` for a file over MAX_FILE_BYTES, `OSError` when unreadable."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PackageError(too_large(size))
    return path.read_bytes()


def too_large(size: int) -> str:
    """Why a .docx file of `size` bytes is not read."""
    return _("the file is {size} MB, more than the limit of {limit} MB; it was not read").format(
        size=megabytes(size), limit=MAX_FILE_BYTES // 2**20
    )


class Package:
    """The members of a .docx, read within the limits; `namelist()`, `read()`, `infolist()`."""

    def __init__(self, data: bytes) -> None:
        if len(data) > MAX_FILE_BYTES:
            raise PackageError(too_large(len(data)))
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise PackageError(_("not a Word document (.docx)")) from None
        with archive:
            infos = archive.infolist()
            _check_directory(infos)
            self.infos = infos
            self.members = {info.filename: _read(archive, info) for info in infos}

    def namelist(self) -> list[str]:
        return list(self.members)

    def infolist(self) -> list[zipfile.ZipInfo]:
        return list(self.infos)

    def read(self, name: str | zipfile.ZipInfo) -> bytes:
        key = name.filename if isinstance(name, zipfile.ZipInfo) else name
        return self.members[key]

    def xml(self, name: str) -> etree._Element:
        return parse_xml(self.members[name])

    def __enter__(self) -> Package:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


def open_package(data: bytes) -> Package:
    """The .docx `data` read within the limits; raises `PackageError` (a `BadZipFile`)."""
    return Package(data)


def _check_directory(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise PackageError(
            _("{count} parts, more than the {limit} a .docx may have").format(
                count=len(infos), limit=MAX_MEMBERS
            )
        )
    total = 0
    for info in infos:
        if unsafe_name(info.filename):
            raise PackageError(
                _("part {name!r} points outside the document; the file is refused").format(
                    name=info.filename
                )
            )
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackageError(
                _("part {name} unpacks to {size} MB, more than the limit of {limit} MB").format(
                    name=info.filename,
                    size=megabytes(info.file_size),
                    limit=MAX_MEMBER_BYTES // 2**20,
                )
            )
        if info.flag_bits & 0x1:
            raise PackageError(
                _("part {name} is encrypted; Word documents are not").format(name=info.filename)
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageError(
                _(
                    "part {name} is compressed with method {method}; Word reads only stored and "
                    "deflated parts"
                ).format(name=info.filename, method=info.compress_type)
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise PackageError(
            _("the parts unpack to {size} MB, more than the limit of {limit} MB").format(
                size=megabytes(total), limit=MAX_TOTAL_BYTES // 2**20
            )
        )


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """One member, read in chunks: never more than it declares, checked as XML."""
    chunks, size = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > info.file_size:
                    raise PackageError(
                        _("part {name} unpacks to more than it declares").format(name=info.filename)
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        if isinstance(exc, PackageError):
            raise
        raise PackageError(
            _("part {name} cannot be unpacked ({detail})").format(name=info.filename, detail=exc)
        ) from None
    data = b"".join(chunks)
    if info.filename.endswith(XML_SUFFIXES):
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise PackageError(
                _("part {name} declares a DTD or entities, which Word never writes").format(
                    name=info.filename
                )
            )
        if data.count(b"<") > MAX_XML_TAGS:
            raise PackageError(
                _("part {name} has more than {limit} XML elements").format(
                    name=info.filename, limit=MAX_XML_TAGS
                )
            )
    return data
