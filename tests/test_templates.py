"""Template authors: broken the way Word breaks them, each problem found where it is."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from docx.shared import Pt

from conftest import DATA
from helpers import body_paragraphs, edit_part, size
from notice_gen import render_file
from notice_gen.cli import main
from notice_gen.docx import doctor
from notice_gen.lint.check import check_file
from notice_gen.pipeline.variables import model_variables

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
STATE = TEMPLATES / "van-ban.state.docx"
RECORD = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
PLAIN = "<w:r><w:t>{text}</w:t></w:r>"


def edit(template: Path, dest: Path, change, part: str = "word/document.xml") -> Path:
    """A copy of `template` whose `part` went through `change(xml) -> xml`."""
    dest.write_bytes(edit_part(template.read_bytes(), part, change))
    return dest


def split(tag: str, pieces: list[str], between: str = "", bold_middle: bool = False):
    """Word's way: the tag's run cut in pieces (the middle one bolded, or a mark between)."""

    def change(xml: str) -> str:
        match = re.search(
            r"<w:r>(<w:rPr/>|<w:rPr>.*?</w:rPr>)?<w:t[^>]*>" + re.escape(tag) + "</w:t></w:r>", xml
        )
        assert match, tag
        props = match.group(1) or ""
        runs = []
        for i, piece in enumerate(pieces):
            rpr = props
            if bold_middle and i == 1:
                rpr = (
                    "<w:rPr><w:b/></w:rPr>"
                    if props in ("", "<w:rPr/>")
                    else props.replace("</w:rPr>", "<w:b/></w:rPr>")
                )
            runs.append(f'<w:r>{rpr}<w:t xml:space="preserve">{piece}</w:t></w:r>')
        return xml[: match.start()] + between.join(runs) + xml[match.end() :]

    return change


def problems(path: Path, kind: str = "thong-bao-ket-luan") -> list[doctor.Issue]:
    return doctor.diagnose(path.read_bytes(), kind, model_variables(kind))[0]


def visible(path: Path) -> list[tuple[str, tuple]]:
    """Every paragraph's text and its runs' bold/italic/size, tables included."""
    doc = Document(str(path))
    paragraphs = list(doc.paragraphs)
    for table in doc.tables:
        for cell in table._cells:
            paragraphs += cell.paragraphs
    return [
        (p.text, tuple((r.text, r.bold, r.italic, r.font.size) for r in p.runs)) for p in paragraphs
    ]


def test_the_built_in_templates_are_clean():
    for path in TEMPLATES.glob("*.docx"):
        assert [str(i) for i in problems(path, doctor.kind_of(path))] == [], path


def test_split_runs_with_other_formatting_found_and_repaired(tmp_path):
    broken = edit(
        STATE,
        tmp_path / "split.docx",
        split("{{ number_line }}", ["{{ numb", "er_li", "ne }}"], bold_middle=True),
    )
    found = problems(broken)
    assert len(found) == 1 and found[0].fixable
    assert found[0].where == "body, table 1 row 2 cell 1, paragraph 1 «{{ number_line }}»"
    assert "split across runs with different formatting" in found[0].message
    fixed = tmp_path / "split.fixed.docx"
    fixed.write_bytes(doctor.repair(broken.read_bytes()))
    assert problems(fixed) == []
    clean_doc, _ = render_file(RECORD, tmp_path / "clean")
    record = tmp_path / "record.yaml"
    record.write_text(RECORD.read_text("utf-8") + f"\ntemplate: {fixed}\n", "utf-8")
    fixed_doc, _ = render_file(record, tmp_path / "fixed")
    assert visible(fixed_doc) == visible(clean_doc)


def test_proofing_marks_and_smart_quotes(tmp_path):
    marked = edit(
        STATE,
        tmp_path / "proof.docx",
        split(
            "{{ signer.name }}",
            ["{{ signer.", "name }}"],
            between='<w:proofErr w:type="spellStart"/>',
        ),
    )
    found = problems(marked)
    assert [(i.severity, i.fixable) for i in found] == [("warning", True)]
    assert "table 2 row 1 cell 2" in found[0].where and "spelling" in found[0].message
    quoted = edit(
        STATE,
        tmp_path / "quotes.docx",
        lambda xml: xml.replace("{{ subject }}", "{{ subject|default(“—”) }}"),
    )
    found = problems(quoted)
    assert [i.message.startswith("smart quotes") for i in found] == [True]
    assert found[0].where.startswith("body, paragraph ")
    fixed = tmp_path / "quotes.fixed.docx"
    fixed.write_bytes(doctor.repair(quoted.read_bytes()))
    assert problems(fixed) == []
    unmarked = tmp_path / "proof.fixed.docx"
    unmarked.write_bytes(doctor.repair(marked.read_bytes()))
    assert problems(unmarked) == []


def test_renamed_variable_names_the_closest_valid_path(tmp_path):
    typo = edit(
        STATE,
        tmp_path / "typo.docx",
        lambda xml: xml.replace("{{ signer.name }}", "{{ signr.name }}"),
    )
    messages = [str(i) for i in problems(typo)]
    assert any(
        "no 'signr.name'" in m
        and "did you mean 'signer.name'?" in m
        and "table 2 row 1 cell 2" in m
        for m in messages
    ), messages
    assert any("no the signature block" in m for m in messages)


def test_deleted_loop_end_is_found_at_the_loop(tmp_path):
    def drop_end(xml: str) -> str:
        paragraphs = re.findall(r"<w:p>(?:(?!<w:p>).)*?\{%p endfor %\}.*?</w:p>", xml)
        body_end = next(p for p in paragraphs if "NGBody" in p)
        return xml.replace(body_end, "", 1)

    broken = edit(STATE, tmp_path / "noend.docx", drop_end)
    found = [str(i) for i in problems(broken)]
    assert len(found) == 1
    assert "'{%p for p in body %}' is never closed: 'endfor' is missing" in found[0]
    assert found[0].startswith("body, paragraph ")


def test_a_tag_in_a_header_and_misplaced_paragraph_tags(tmp_path):
    header = edit(
        STATE,
        tmp_path / "header.docx",
        lambda xml: xml.replace("</w:p>", PLAIN.format(text="{{ numbr_line }}") + "</w:p>", 1),
        part="word/header2.xml",
    )
    found = [str(i) for i in problems(header)]
    assert any(
        m.startswith("header 2 (word/header2.xml), paragraph 1")
        and "'numbr_line'" in m
        and "did you mean 'number_line'?" in m
        for m in found
    ), found
    doubled = edit(
        STATE,
        tmp_path / "double.docx",
        lambda xml: xml.replace("{%p for p in body %}", "{%p for p in body %}{%p if p %}", 1),
    )
    assert any("two {%p %} tags in one paragraph" in str(i) for i in problems(doubled))


def test_cli_reports_every_problem_and_fix_never_overwrites(tmp_path):
    broken = edit(
        STATE,
        tmp_path / "many.docx",
        lambda xml: xml.replace("{{ signer.name }}", "{{ signr.name }}").replace(
            "{{ subject }}", "{{ subject|default(“x”) }}"
        ),
    )
    runner = CliRunner()
    result = runner.invoke(main, ["template", "check", str(broken)])
    assert result.exit_code == 1
    assert result.output.count(f"{broken}: ") == 3
    data = json.loads(runner.invoke(main, ["template", "check", str(broken), "--json"]).output)
    assert {"severity", "message", "where", "fixable"} <= set(data[0])
    before = broken.read_bytes()
    fixed = runner.invoke(main, ["template", "check", str(broken), "--fix"])
    assert broken.read_bytes() == before
    assert (tmp_path / "many.fixed.docx").is_file()
    assert "fixed: " in fixed.output and "smart quotes inside the tag" in fixed.output
    assert fixed.output.count(f"{broken}: ") == 2  # the unknown variable needs Word


def test_fix_says_when_it_can_repair_nothing(tmp_path):
    broken = edit(
        STATE, tmp_path / "typo.docx", lambda xml: xml.replace("{{ signer.name }}", "{{ signr }}")
    )
    result = CliRunner().invoke(main, ["template", "check", str(broken), "--fix"])
    assert result.exit_code == 1
    assert "nothing --fix can repair; no copy written" in result.output
    assert "repaired copy" not in result.output
    assert not (tmp_path / "typo.fixed.docx").exists()


def test_export_creates_the_folder_and_takes_a_kind(tmp_path):
    runner = CliRunner()
    mine = tmp_path / "mine" / "x.docx"
    result = runner.invoke(main, ["template", "export", "van-ban.state", str(mine)])
    assert result.exit_code == 0, result.output
    assert mine.read_bytes() == STATE.read_bytes()
    party = tmp_path / "giay-moi.docx"
    result = runner.invoke(main, ["template", "export", "giay-moi.party", str(party)])
    assert result.output.startswith("van-ban.party.docx -> ")
    minutes = tmp_path / "bb.docx"
    runner.invoke(main, ["template", "export", "bien-ban", str(minutes)])
    assert minutes.read_bytes() == (TEMPLATES / "bien-ban.state.docx").read_bytes()
    again = runner.invoke(main, ["template", "export", "bien-ban", str(minutes)])
    assert again.exit_code == 1 and f"error: {minutes} exists; it is kept" in again.output
    unknown = runner.invoke(main, ["template", "export", "cong-van", str(tmp_path / "c.docx")])
    assert unknown.exit_code == 2 and "no built-in template 'cong-van'" in unknown.output


def test_an_exported_template_edited_in_word_renders_right(tmp_path):
    runner = CliRunner()
    mine = tmp_path / "mine" / "van-ban.state.docx"
    mine.parent.mkdir()
    assert runner.invoke(main, ["template", "export", "van-ban.state", str(mine)]).exit_code == 0
    doc = Document(str(mine))
    logo = io.BytesIO(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        )
    )
    doc.tables[0].cell(0, 0).paragraphs[0].insert_paragraph_before().add_run().add_picture(
        logo, width=Pt(30)
    )
    doc.styles["NG Body"].font.size = Pt(12)  # an author's change the rules undo
    signer = doc.tables[1].cell(0, 1)
    blank = next(p for p in signer.paragraphs if not p.text)
    signer._tc.append(blank._p)  # a paragraph moved
    doc.save(str(mine))
    check = runner.invoke(main, ["template", "check", str(mine)])
    assert check.exit_code == 0, check.output
    result = runner.invoke(
        main, ["render", str(RECORD), "-o", str(tmp_path / "out"), "--templates", str(mine.parent)]
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "out" / "thong-bao-ket-luan-ubnd-lam-dong.docx"
    rendered = Document(str(out))
    assert rendered.inline_shapes and len(rendered.inline_shapes) == 1
    assert {size(p) for p in body_paragraphs(rendered)} == {14}
    assert [str(f) for f in check_file(out) if f.severity == "error"] == []


def test_template_list_vars_and_preview(tmp_path):
    runner = CliRunner()
    listing = runner.invoke(main, ["template", "list"]).output
    assert "van-ban.state" in listing and "thong-bao-ket-luan, giay-moi" in listing
    variables = runner.invoke(main, ["template", "vars", str(STATE)]).output
    assert re.search(r"signer\.name\s+yes", variables) and re.search(
        r"minutes_signers|party_title", variables
    )
    template = str(TEMPLATES / "bien-ban.party.docx")
    result = runner.invoke(main, ["template", "preview", template, "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "bien-ban.party.docx").is_file()
    alias = runner.invoke(main, ["preview", template, "-o", str(tmp_path / "b")])
    assert alias.exit_code == 0, alias.output
    assert (tmp_path / "b" / "bien-ban.party.docx").is_file()
    assert "\n  preview " not in runner.invoke(main, ["--help"]).output  # listed under template
