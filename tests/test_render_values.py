"""What a slot prints goes into the document as it is, so every value the context holds
must come out escaped: hostile text in any field gives a valid document whose text
reads back as written, and a character XML forbids is refused with a message naming
the template and the part, never a broken document or a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import DATA
from notice_gen import TemplateError
from notice_gen.docx.ooxml import errors_in, validate_package
from notice_gen.docx.template import Template, builtin_template
from notice_gen.pipeline.compose import context
from notice_gen.record.load import load, select_kind
from notice_gen.record.validate import validate
from notice_gen.rules.profiles import KINDS

PROPERTY = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
RECORDS = {
    "party": DATA / "thong-bao-ket-luan-tuy-phong-2014.yaml",
    "state": DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml",
    "minutes": DATA / "bien-ban-dang-uy-phuong.yaml",
}
# Markup, entities, CDATA ends, quotes, Word's own tags, line breaks, symbol hyphens.
hostile = st.text(
    "aăđƯ 01-/&;<>\"']]>\n#x" + "\u00a0\u200b\U0001f600",
    min_size=1,
    max_size=24,
).map(lambda text: "Ý" + text)
FRAGMENTS = ["<w:t>", "</w:t></w:r>", "]]>", "& ", "&amp;", "<!--", '"/>', "<?x?>"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PRINTED = [  # fields every built-in layout prints in a run of text
    ("subject",),
    ("number_line",),
    ("doc_type",),
    ("issuer_lines", 0),
    ("body", 0, "text"),
    ("body", 1, "label"),
]
SIGNERS = {
    "party": [("signer", "name"), ("signer", "position"), ("recipients", 0)],
    "state": [("signer", "name"), ("signer", "position"), ("recipients", 0)],
    "minutes": [("minutes_signers", 0, "name"), ("minutes_signers", 1, "title")],
}


def compiled(name: str) -> tuple[Template, dict]:
    record, _warnings = validate(select_kind(load(RECORDS[name]), None, KINDS))
    return Template(builtin_template(record.kind, record.rules), record.rules), context(record)


TEMPLATES = {name: compiled(name) for name in RECORDS}


def replaced(value, texts):
    """`value` with every text in it replaced by the next of `texts`, class kept."""
    if isinstance(value, dict):
        return {key: replaced(item, texts) for key, item in value.items()}
    if isinstance(value, list):
        return [replaced(item, texts) for item in value]
    if isinstance(value, str):
        return type(value)(next(texts))
    return value


def at(values, path):
    for key in path:
        values = values[key]
    return values


def paragraphs(data: bytes) -> list[str]:
    """The text of every paragraph of the main document as Word shows it."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    out = []
    for paragraph in root.iter(f"{{{W}}}p"):
        text = []
        for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}noBreakHyphen"):
            text.append(
                node.text or ""
                if node.tag == f"{{{W}}}t"
                else "\n"
                if node.tag.endswith("br")
                else "-"
            )
        out.append("".join(text))
    return out


def core_title(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("docProps/core.xml"))
    return root.findtext("{http://purl.org/dc/elements/1.1/}title")


@PROPERTY
@given(
    name=st.sampled_from(sorted(RECORDS)),
    texts=st.lists(st.one_of(hostile, st.sampled_from(FRAGMENTS)), min_size=1, max_size=9),
)
def test_hostile_text_in_every_field_reads_back_as_written(name, texts):
    template, values = TEMPLATES[name]
    endless = (f"{n}{texts[n % len(texts)]}" for n in range(10**6))  # each field its own text
    hostile_values = replaced(values, endless)
    data = template.render(hostile_values)
    assert [str(f) for f in errors_in(validate_package(data))] == []
    shown = paragraphs(data)
    for path in PRINTED + SIGNERS[name]:
        written = str(at(hostile_values, path))
        assert any(written in text for text in shown), (path, written)
    assert core_title(data) == hostile_values["properties"]["title"]
    again = template.render(replaced(values, (f"{n}{texts[n % len(texts)]}" for n in range(10**6))))
    assert again == data


@pytest.mark.parametrize(
    ("name", "path"),
    [(n, path) for n in RECORDS for path in [*PRINTED, *SIGNERS[n], ("properties", "title")]],
    ids=str,
)
@pytest.mark.parametrize("char", ["\x00", "\x0b", "\ufffe", "\ud800"], ids=ascii)
def test_a_character_xml_forbids_is_refused_naming_the_template(name, path, char):
    template, values = TEMPLATES[name]
    bad = replaced(values, iter(lambda: "Ý", None))
    *parent, last = path
    target = at(bad, parent)
    target[last] = type(target[last])(f"Sở {char} vụ")
    with pytest.raises(TemplateError) as refused:
        template.render(bad)
    message = str(refused.value)
    assert message.startswith(f"{template.path}: ")
    assert "Traceback" not in message and "internal error" not in message
    part = "docProps/core.xml" if path[0] == "properties" else "word/document.xml"
    assert f": {part}: " in message
