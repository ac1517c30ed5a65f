"""Reading records: text stays as written, mistakes are named by file, line and key."""

from __future__ import annotations

from helpers import record_problems, write_record
from notice_gen import read_record

BASE = """\
kind: thong-bao-ket-luan
profile: nd30
issuer: {name: VĂN PHÒNG, code: VP}
place: Hà Nội
date: 2026-03-09
subject: Kết luận
conclusions:
  - Ý thứ nhất.
  - text: Ý thứ hai.
    points:
      - Ý con.
recipients: [Các sở]
archive: VT, TH
signer: {position: CHÁNH VĂN PHÒNG, name: Nguyễn Văn A}
"""


def test_yaml_implicit_typing_never_alters_text(tmp_path):
    text = BASE.replace("place: Hà Nội", "place: 05") + "closing: no\n"
    text += "title: [2.10, 1e3, on, '14:00']\nmeeting: {start: 14:00, date: 2026-03-01}\n"
    record, _ = read_record(write_record(tmp_path, text))
    assert record.place == "05"
    assert record.closing == ["no"]
    assert record.title == ["2.10", "1e3", "on", "14:00"]
    assert record.meeting.start == "14:00"
    assert record.date.isoformat() == "2026-03-09"


def test_json_and_toml_keep_numbers_as_written(tmp_path):
    json_path = write_record(tmp_path, '{"a": 1}', "r.json")
    json_path.write_text(
        '{"kind": "thong-bao-ket-luan", "profile": "nd30", "issuer": {"name": "X", "code": "VP"},'
        ' "place": 2.10, "subject": "S", "conclusions": ["A"], "recipients": ["B"],'
        ' "archive": "VT", "number": 7, "signer": {"position": "P", "name": "N"}}',
        encoding="utf-8",
    )
    record, _ = read_record(json_path)
    assert (record.place, record.number) == ("2.10", 7)
    toml_path = write_record(
        tmp_path,
        """\
        kind = "thong-bao-ket-luan"
        profile = "nd30"
        place = 2.10
        subject = "S"
        conclusions = ["A"]
        recipients = ["B"]
        archive = "VT"
        date = 2026-01-05
        issuer = {name = "X", code = "VP"}
        signer = {position = "P", name = "N"}
        """,
        "r.toml",
    )
    record, _ = read_record(toml_path)
    assert record.place == "2.10"
    assert record.date.isoformat() == "2026-01-05"


def test_wrong_type_deep_in_points_names_file_line_and_key_path(tmp_path):
    text = BASE.replace("      - Ý con.", "      - text: {a: b}")
    path = write_record(tmp_path, text)
    assert record_problems(path) == [
        f"{path}:11: conclusions[1].points[0].text: expected text, or a list of paragraphs"
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    text = BASE.replace("place: Hà Nội\n", "").replace("date: 2026-03-09", "date: 9 tháng 3")
    text = text.replace("signer:", "sigmer:")
    found = record_problems(write_record(tmp_path, text))
    assert any(p.endswith(": place: required key is missing") for p in found)
    assert any(":4: date: expected a date written DD/MM/YYYY or YYYY-MM-DD" in p for p in found)
    assert any(":13: sigmer: unknown key; did you mean 'signer'?" in p for p in found)
    assert any(": signer: required key is missing" in p for p in found)


def test_bad_number_and_profile(tmp_path):
    text = BASE.replace("profile: nd30", "profile: nd-30") + "number: abc\n"
    found = record_problems(write_record(tmp_path, text))
    assert any(
        ":2: profile: expected one of 'nd30', 'party-hd05' or 'party-hd36'" in p for p in found
    )
    assert any(":15: number: expected a whole number" in p for p in found)


def test_duplicate_key_and_broken_yaml(tmp_path):
    assert record_problems(write_record(tmp_path, BASE + "place: Huế\n"))[0].endswith(
        ":15: place: key given twice"
    )
    broken = record_problems(write_record(tmp_path, BASE + "subject: [unclosed\n"))
    assert "not valid YAML" in broken[0] and broken[0].startswith(str(tmp_path / "record.yaml"))


def test_extends_merges_mappings_and_replaces_lists(tmp_path):
    (tmp_path / "orgs").mkdir()
    write_record(
        tmp_path,
        """\
        profile: party-hd05
        issuer: {parent: TỈNH ỦY LÂM ĐỒNG, name: VĂN PHÒNG, code: VPTU}
        place: Lâm Đồng
        recipients: [Thường trực Tỉnh ủy, Các ban]
        archive: Văn phòng Tỉnh ủy
        signer: {position: CHÁNH VĂN PHÒNG, name: Nguyễn Văn A}
        """,
        "orgs/vptu.yaml",
    )
    path = write_record(
        tmp_path,
        """\
        extends: orgs/vptu.yaml
        kind: thong-bao-ket-luan
        issuer: {code: TU}
        subject: về công tác tháng 11
        conclusions: [Một ý.]
        recipients: [Các huyện ủy]
        signer: {name: Trần Văn B}
        """,
    )
    record, _ = read_record(path)
    assert record.profile == "party-hd05"
    assert (record.issuer.parent, record.issuer.name, record.issuer.code) == (
        ["TỈNH ỦY LÂM ĐỒNG"],
        ["VĂN PHÒNG"],
        "TU",
    )
    assert record.recipients == ["Các huyện ủy"]
    assert (record.signer.position, record.signer.name) == ("CHÁNH VĂN PHÒNG", "Trần Văn B")


def test_a_mistake_in_the_organisation_file_names_that_file(tmp_path):
    org = write_record(tmp_path, "profile: nd30\nsigner: {position: 5, nam: X}\n", "org.yaml")
    path = write_record(tmp_path, "extends: org.yaml\n" + BASE.replace("signer:", "# signer:"))
    found = record_problems(path)
    assert f"{org}:2: signer.nam: unknown key; did you mean 'name'?" in found


def test_extends_cycle_and_missing_file(tmp_path):
    write_record(tmp_path, "extends: b.yaml\n", "a.yaml")
    write_record(tmp_path, "extends: a.yaml\n", "b.yaml")
    assert "cycle" in record_problems(tmp_path / "a.yaml")[0]
    missing = write_record(tmp_path, "extends: nowhere.yaml\n" + BASE)
    assert record_problems(missing)[0].startswith(f"{missing}:1: extends: no such file")


def test_profile_rules_are_checked_with_the_key(tmp_path):
    text = BASE.replace(
        "signer: {position: CHÁNH VĂN PHÒNG, name: Nguyễn Văn A}",
        "signer: {authority: T/L, on_behalf_of: CHỦ TỊCH, position: CVP, name: A}",
    )
    found = record_problems(write_record(tmp_path, text))
    assert len(found) == 1
    assert ":14: signer.authority: 'T/L'" in found[0]
    assert "TM., KT., TL., TUQ., Q." in found[0]


def test_not_a_record(tmp_path):
    assert "unknown file type" in record_problems(write_record(tmp_path, "x", "r.txt"))[0]
    assert "expected a mapping" in record_problems(write_record(tmp_path, "- a\n- b\n"))[0]
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("place: H\xe0 N\xf4i\n".encode("latin-1"))
    assert "not UTF-8" in record_problems(bad)[0]
