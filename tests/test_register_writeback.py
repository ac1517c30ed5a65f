"""Writing the number taken for `number: auto` back into the record file: one value changes,
every other byte stays."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from notice_gen.errors import OutputError
from notice_gen.register import stamp, write_number, writeback
from notice_gen.register.writeback import snapshot

RECORD = """\
# Hồ sơ thông báo kết luận: số lấy từ sổ đăng ký.
kind: thong-bao-ket-luan   # loại văn bản
profile: nd30
number: auto    # văn thư: để auto, máy ghi số
place: Lâm Đồng

subject: >-
  Kết luận về number: auto trong nội dung
giay-moi:
  # giấy mời có số riêng
  number: auto
  subject: Mời họp
"""


def write(tmp_path: Path, text: str, name: str = "tb.yaml", encoding: bytes = b"") -> Path:
    path = tmp_path / name
    path.write_bytes(encoding + text.encode("utf-8"))
    return path


def test_only_the_value_of_number_changes(tmp_path):
    path = write(tmp_path, RECORD)
    assert write_number(path, 7, stamp(path), "thong-bao-ket-luan")
    expected = RECORD.replace("number: auto    # văn thư", "number: 7       # văn thư")
    assert path.read_text("utf-8") == expected  # the comment keeps its column
    assert write_number(path, 12, stamp(path), "giay-moi")
    assert path.read_text("utf-8") == expected.replace("  number: auto\n", "  number: 12\n")


def test_a_number_before_a_comment_is_written_into_the_same_file(tmp_path):
    """Written in place, the record keeps its inode: a hard link to it (a shared folder's
    copy) shows the number too, and the owner and permissions stay the record's."""
    path = write(tmp_path, RECORD)
    path.chmod(0o664)
    os.link(path, tmp_path / "ban-chung.yaml")
    before = path.stat()
    assert write_number(path, 1234, stamp(path), "thong-bao-ket-luan")
    after = path.stat()
    assert (after.st_ino, after.st_mode, after.st_uid) == (
        before.st_ino, before.st_mode, before.st_uid,
    )  # fmt: skip
    assert "number: 1234    # văn thư" in (tmp_path / "ban-chung.yaml").read_text("utf-8")


ROOM = len("auto    ")  # `auto` and the spaces before the comment, in RECORD


def padded(end: int) -> str:
    """RECORD after a comment line that puts the end of its `number:` room at byte `end`."""
    at = len(RECORD[: RECORD.index("number: auto")].encode("utf-8")) + len("number: ") + ROOM
    return "# " + "x" * (end - at - 3) + "\n" + RECORD


@pytest.mark.parametrize(
    ("text", "number", "line", "in_place"),
    [
        (RECORD, 123456789, "number: 123456789    # văn thư", False),  # longer than the room
        (padded(512), 7, "number: 7       # văn thư", True),  # the room ends at byte 511
        (padded(513), 7, "number: 7    # văn thư", False),  # across bytes 511 and 512
    ],
)
def test_a_number_written_in_place_stays_inside_one_sector(tmp_path, text, number, line, in_place):
    """In place only inside one 512-byte sector of the disk; else a new file replaces
    the record (a hard link to it keeps the old text)."""
    path = write(tmp_path, text)
    os.link(path, tmp_path / "ban-chung.yaml")
    assert write_number(path, number, stamp(path), "thong-bao-ket-luan")
    expected = text.replace("number: auto    # văn thư", line)
    assert path.read_text("utf-8") == expected
    linked = (tmp_path / "ban-chung.yaml").read_text("utf-8")
    assert linked == (expected if in_place else text)


def test_a_record_saved_long_before_is_written_in_place_without_reading_it_again(
    tmp_path, monkeypatch
):
    path = write(tmp_path, RECORD)
    _raw, before = read_long_after(monkeypatch, path)
    assert write_number(path, 7, before, "thong-bao-ket-luan", raw=_raw)
    assert "number: 7       # văn thư" in path.read_text("utf-8")


@pytest.mark.parametrize("save", ["in place", "as a new file"])
def test_a_save_between_the_comparison_and_the_write_is_told(tmp_path, monkeypatch, save):
    """An editor saving in the few microseconds between the last comparison and the write:
    the number may land in the clerk's new text or in the old file, and the clerk is told
    to look, never told it was written."""
    path = write(tmp_path, RECORD)
    before, pwrite = stamp(path), os.pwrite
    edited = "kind: thong-bao-ket-luan\nnumber: 3\n"

    def saved_meanwhile(fd: int, data: bytes, offset: int) -> int:
        if save == "in place":
            path.write_text(edited, "utf-8")
        else:
            (tmp_path / "moi.yaml").write_text(edited, "utf-8")
            os.replace(tmp_path / "moi.yaml", path)
        return pwrite(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", saved_meanwhile)
    with pytest.raises(OutputError, match=r"tb.yaml was saved while its number was being "
                       r"written into it: open it to check it, then render it again"):  # fmt: skip
        write_number(path, 7, before, "thong-bao-ket-luan")


def test_a_failure_told_when_the_record_is_closed_is_an_error(tmp_path, monkeypatch):
    """A network file system may report a failed write only when the file is closed."""
    path = write(tmp_path, RECORD)
    before, close, pwrite, written = stamp(path), os.close, os.pwrite, []

    def remember(fd: int, data: bytes, offset: int) -> int:
        written.append(fd)
        return pwrite(fd, data, offset)

    def quota(fd: int) -> None:
        close(fd)
        if fd in written:
            raise OSError(122, "Disk quota exceeded")

    monkeypatch.setattr(os, "pwrite", remember)
    monkeypatch.setattr(os, "close", quota)
    with pytest.raises(OutputError, match=r"tb.yaml: cannot write: Disk quota exceeded"):
        write_number(path, 7, before, "thong-bao-ket-luan")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a comment right after a quoted value: the number keeps a space before it
        ("kind: thong-bao-ket-luan\nnumber: 'auto'# số\n",
         "kind: thong-bao-ket-luan\nnumber: 7 # số\n"),
        # an anchor on the value: not written into (the clerk is told to write it)
        ("kind: thong-bao-ket-luan\nnumber: &n auto   # c\nx: *n\n", None),
    ],
)  # fmt: skip
def test_values_written_otherwise_stay_valid_yaml(tmp_path, text, expected):
    path = write(tmp_path, text)
    assert write_number(path, 7, stamp(path), "thong-bao-ket-luan") == (expected is not None)
    assert path.read_text("utf-8") == (expected or text)


def test_flow_mappings_quotes_json_and_toml(tmp_path):
    flow = write(tmp_path, 'kind: giay-moi\ngiay-moi: {number: "auto", subject: x}\n', "f.yaml")
    assert write_number(flow, 9, stamp(flow), "giay-moi")
    assert flow.read_text("utf-8") == "kind: giay-moi\ngiay-moi: {number: 9, subject: x}\n"
    text = '{\n  "kind": "thong-bao-ket-luan",\n  "number": "auto",\n  "place": "Huế"\n}\n'
    json = write(tmp_path, text, "r.json")
    assert write_number(json, 10, stamp(json))
    assert json.read_text("utf-8") == text.replace('"auto"', "10")
    toml = 'kind = "thong-bao-ket-luan"\nnumber = "auto" # số\n\n[giay-moi]\nnumber = "auto"\n'
    path = write(tmp_path, toml, "r.toml")
    assert write_number(path, 4, stamp(path), "giay-moi")
    assert write_number(path, 3, stamp(path), "thong-bao-ket-luan")
    assert path.read_text("utf-8") == toml.replace('"auto" #', "3      #").replace(
        '"auto"\n', "4\n"
    )


def test_a_number_from_an_organisation_file_is_not_written(tmp_path):
    text = "extends: orgs/van-phong.yaml\nkind: thong-bao-ket-luan\nsubject: x\n"
    path = write(tmp_path, text)
    assert not write_number(path, 3, stamp(path), "thong-bao-ket-luan")
    typed = write(tmp_path, "kind: thong-bao-ket-luan\nnumber: 8\n", "typed.yaml")
    assert not write_number(typed, 3, stamp(typed))
    assert typed.read_text("utf-8") == "kind: thong-bao-ket-luan\nnumber: 8\n"


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path):
    path = write(tmp_path, RECORD)
    before = stamp(path)
    edited = RECORD.replace("Mời họp", "Mời họp giao ban")
    path.write_text(edited, "utf-8")
    with pytest.raises(OutputError, match=r"tb.yaml changed while its document was being made"):
        write_number(path, 7, before, "thong-bao-ket-luan")
    assert path.read_text("utf-8") == edited
    assert [p.name for p in tmp_path.iterdir()] == ["tb.yaml"]  # no temporary file left


def later(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Read `path` as a record saved long before its batch: modified an hour ago, read ten
    seconds after its last change (a change time cannot be set: the clock moves)."""
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(path, ns=(an_hour_ago, an_hour_ago))
    now = time.time_ns
    monkeypatch.setattr(writeback.time, "time_ns", lambda: now() + 10**10)


def read_long_after(monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[bytes, str]:
    """`snapshot` of `path` as `later` reads it; any further read of it then fails."""
    later(monkeypatch, path)
    taken = snapshot(path)

    def refuse(*args: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr(writeback, "head_and_status", refuse)
    monkeypatch.setattr(writeback, "head_of", refuse)
    return taken


@pytest.mark.parametrize("old", [True, False])
def test_an_edit_in_place_of_the_same_size_is_seen(tmp_path, monkeypatch, old):
    path = write(tmp_path, RECORD)
    if old:  # its status is remembered: an edit changes the status
        later(monkeypatch, path)
    raw, before = snapshot(path)
    assert bool(before.split(" ")[1]) is old
    edited = RECORD.replace("Mời họp", "Mời Họp")  # the same number of bytes
    assert len(edited.encode()) == len(RECORD.encode())
    with path.open("r+b") as handle:
        handle.write(edited.encode("utf-8"))
    with pytest.raises(OutputError, match=r"tb.yaml changed while its document was being made"):
        write_number(path, 7, before, "thong-bao-ket-luan", raw=raw)
    assert path.read_text("utf-8") == edited


def test_a_file_saved_again_unchanged_still_takes_its_number(tmp_path, monkeypatch):
    path = write(tmp_path, RECORD)
    later(monkeypatch, path)
    raw, before = snapshot(path)
    path.write_text(RECORD, "utf-8")  # saved again: new times, the same bytes
    assert write_number(path, 7, before, "thong-bao-ket-luan", raw=raw)
    assert "number: 7       # văn thư" in path.read_text("utf-8")


def test_an_untouched_file_is_not_read_again(tmp_path, monkeypatch):
    path = write(tmp_path, RECORD)
    _raw, before = read_long_after(monkeypatch, path)
    writeback.untouched(path, before)  # its status is the one seen: not read
    path.touch()
    with pytest.raises(AssertionError, match="read again"):
        writeback.untouched(path, before)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (  # text that reads `number: auto` inside a block of the intro: only the key changes
            "kind: thong-bao-ket-luan\nintro: |\n  number: auto trong năm\nnumber: auto\n",
            "thong-bao-ket-luan",
            "kind: thong-bao-ket-luan\nintro: |\n  number: auto trong năm\nnumber: 4\n",
        ),
        (  # a quoted value going on to the next line
            'kind: thong-bao-ket-luan\nsubject: "về công tác\n  năm 2026"\nnumber: auto\n',
            "thong-bao-ket-luan",
            'kind: thong-bao-ket-luan\nsubject: "về công tác\n  năm 2026"\nnumber: 4\n',
        ),
        (  # the kind's own block wins over the top-level number
            "kind: thong-bao-ket-luan\nnumber: 5\ngiay-moi:\n  number: auto\n",
            "giay-moi",
            "kind: thong-bao-ket-luan\nnumber: 5\ngiay-moi:\n  number: 4\n",
        ),
        (  # a comment after the value stays
            "kind: thong-bao-ket-luan\nnumber: auto # số do sổ cấp\n",
            "thong-bao-ket-luan",
            "kind: thong-bao-ket-luan\nnumber: 4    # số do sổ cấp\n",
        ),
    ],
)
def test_only_the_number_key_changes_in_tricky_files(tmp_path, text, kind, expected):
    path = write(tmp_path, text)
    assert write_number(path, 4, stamp(path), kind)
    assert path.read_text("utf-8") == expected


NEL = 'title: "Lâm\x85Đồng"\nkind: thong-bao-ket-luan\nthong-bao-ket-luan:\n'
NEL += "  number: auto\nnumber: auto\n"
JSON = '{\n  "kind": "thong-bao-ket-luan",\n  "number": "Auto",\n  "place": "Huế"\n}\n'


@pytest.mark.parametrize(
    ("text", "line", "name", "expected"),
    [
        (RECORD, 4, "tb.yaml", RECORD.replace("auto    # văn thư", "7       # văn thư")),
        (RECORD, 11, "tb.yaml", RECORD.replace("  number: auto\n", "  number: 7\n")),
        (JSON, 3, "r.json", JSON.replace('"Auto"', "7")),
        # a line that is not `number: auto` alone: the file is parsed instead
        (RECORD, 1, "tb.yaml", RECORD.replace("auto    # văn thư", "7       # văn thư")),
        (RECORD.replace("number: auto    #", "number:\n  auto    #"), 4, "tb.yaml",
         RECORD.replace("number: auto    #", "number:\n  7       #")),
        ("number: AUTO\nkind: thong-bao-ket-luan\n", 1, "tb.yaml",
         "number: 7\nkind: thong-bao-ket-luan\n"),  # on the first line, after the BOM
        # a line break of YAML's own (NEL) in a text: the parse's line 5 is not the fifth "\n"
        (NEL, 5, "tb.yaml", NEL.replace("  number: auto", "  number: 7")),
    ],
)  # fmt: skip
def test_the_line_where_the_parse_found_the_key_is_looked_at_first(
    tmp_path, text, line, name, expected
):
    path = write(tmp_path, text.replace("\n", "\r\n"), name, b"\xef\xbb\xbf")
    assert write_number(path, 7, stamp(path), "thong-bao-ket-luan", line=line)
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize("mode", [0o600, 0o664])
def test_the_record_keeps_its_permissions(tmp_path, mode):
    path = write(tmp_path, RECORD)
    path.chmod(mode)  # private to its clerk, or shared with the office's group
    assert write_number(path, 7, stamp(path), "thong-bao-ket-luan")
    assert path.stat().st_mode & 0o777 == mode


def test_an_edit_saved_while_the_number_is_written_is_kept(tmp_path, monkeypatch):
    """The file is compared last, just before the new one replaces it; until then the new
    one is readable by its owner alone (a record kept private stays private)."""
    path = write(
        tmp_path, RECORD.replace("number: auto    # văn thư: để auto, máy ghi số", "number: auto")
    )
    path.chmod(0o640)
    before, sync, seen = stamp(path), os.fsync, []

    def saved_meanwhile(fd: int) -> None:
        seen.extend(p.stat().st_mode & 0o777 for p in tmp_path.glob(".tb.yaml.*.tmp"))
        path.write_text(RECORD.replace("Mời họp", "Mời họp giao ban"), "utf-8")
        sync(fd)

    monkeypatch.setattr(os, "fsync", saved_meanwhile)
    with pytest.raises(OutputError, match=r"tb.yaml changed while its document was being made"):
        write_number(path, 7, before, "thong-bao-ket-luan")
    assert seen == [0o600]
    assert "Mời họp giao ban" in path.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["tb.yaml"]


def test_an_edit_saved_as_the_number_is_written_in_place_is_kept(tmp_path, monkeypatch):
    """In place, the file is compared through the very handle the number is written with,
    just before the write."""
    path = write(tmp_path, RECORD)
    before, status = stamp(path), os.fstat

    def saved_meanwhile(fd: int) -> os.stat_result:
        if not path.read_text("utf-8").endswith("giao ban\n"):
            path.write_text(RECORD.replace("Mời họp", "Mời họp giao ban"), "utf-8")
        return status(fd)

    monkeypatch.setattr(os, "fstat", saved_meanwhile)
    with pytest.raises(OutputError, match=r"tb.yaml changed while its document was being made"):
        write_number(path, 7, before, "thong-bao-ket-luan")
    assert path.read_text("utf-8") == RECORD.replace("Mời họp", "Mời họp giao ban")


def test_toml_takes_its_number_where_its_parse_finds_the_key(tmp_path):
    text = (
        'kind = "thong-bao-ket-luan"\n'
        'subject = """\nnumber = "auto" ở đây là chữ của trích yếu\n"""\n'
        'number = "Auto"  # số do sổ cấp\n'
    )
    path = write(tmp_path, text.replace("\n", "\r\n"), "r.toml", b"\xef\xbb\xbf")
    assert write_number(path, 7, stamp(path), "thong-bao-ket-luan")
    expected = text.replace('"Auto"  #', "7       #").replace("\n", "\r\n")
    assert path.read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")


def test_a_link_keeps_pointing_at_the_record_that_takes_the_number(tmp_path):
    (tmp_path / "chung").mkdir()
    record = write(tmp_path / "chung", RECORD)
    link = tmp_path / "tb.yaml"
    link.symlink_to(record)
    assert write_number(link, 7, stamp(link), "thong-bao-ket-luan")
    assert link.is_symlink() and link.resolve() == record
    assert record.read_text("utf-8") == RECORD.replace("auto    # văn thư", "7       # văn thư")
    assert sorted(p.name for p in (tmp_path / "chung").iterdir()) == ["tb.yaml"]


def test_a_read_only_record_is_left_as_it_is(tmp_path):
    path = write(tmp_path, RECORD)
    path.chmod(0o444)  # marked read-only by its clerk
    with pytest.raises(OutputError, match=r"tb.yaml is read-only; its number was not written back"):
        write_number(path, 7, stamp(path), "thong-bao-ket-luan")
    assert path.read_text("utf-8") == RECORD and [p.name for p in tmp_path.iterdir()] == ["tb.yaml"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # an escaped quote inside a multi-line string does not end it
            'kind = "thong-bao-ket-luan"\nsubject = """Ghi: \\"""\nnumber = "auto"\n"""\n'
            'number = "auto"\n',
            'kind = "thong-bao-ket-luan"\nsubject = """Ghi: \\"""\nnumber = "auto"\n"""\n'
            "number = 7\n",
        ),
        (  # two multi-line strings on one line
            'kind = "thong-bao-ket-luan"\nnotes = ["""a\nb""", """c\nd"""]\nnumber = "auto"\n',
            'kind = "thong-bao-ket-luan"\nnotes = ["""a\nb""", """c\nd"""]\nnumber = 7\n',
        ),
        (  # quotes inside a one-line string and a comment
            'kind = "thong-bao-ket-luan"  # dùng """\nsep = "\'\'\'"\nnumber = \'auto\'\n',
            'kind = "thong-bao-ket-luan"  # dùng """\nsep = "\'\'\'"\nnumber = 7\n',
        ),
        (  # a dotted key
            'kind = "giay-moi"\ngiay-moi.number = "auto"\n',
            'kind = "giay-moi"\ngiay-moi.number = 7\n',
        ),
    ],
)
def test_toml_strings_are_text_and_dotted_keys_are_keys(tmp_path, text, expected):
    path = write(tmp_path, text, "r.toml")
    kind = "giay-moi" if "giay-moi" in text else "thong-bao-ket-luan"
    assert write_number(path, 7, stamp(path), kind)
    assert path.read_text("utf-8") == expected


def test_a_record_its_owner_cannot_write_is_read_only(tmp_path):
    path = write(tmp_path, RECORD)
    path.chmod(0o464)  # the office's group may write it, its owner marked it read-only
    with pytest.raises(OutputError, match=r"tb.yaml is read-only; its number was not written back"):
        write_number(path, 7, stamp(path), "thong-bao-ket-luan")
    assert path.read_text("utf-8") == RECORD


def test_a_toml_string_ending_in_four_quotes_ends_there(tmp_path):
    text = 'kind = "tb"\nnotes = ["""Ghi "a"""", """\nnumber = "auto"\n"""]\nnumber = "auto"\n'
    path = write(tmp_path, text, "r.toml")
    assert write_number(path, 7, stamp(path), "tb")
    assert path.read_text("utf-8") == text[: -len('"auto"\n')] + "7\n"
