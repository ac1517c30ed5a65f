"""Documents are not parsed again: a template is proven well-formed once, and every
value is escaped by the renderer. Hostile values (markup, control characters,
emphasis markers) give documents that are well-formed, valid, and the same as the
full parse gives."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import DATA
from notice_gen import RecordError, TemplateError
from notice_gen.docx.ooxml import errors_in, validate_package
from notice_gen.docx.template import Template, builtin_template, builtin_templates
from notice_gen.pipeline.compose import BodyText, context
from notice_gen.record.load import load, select_kind
from notice_gen.record.validate import validate
from notice_gen.rules.profiles import KINDS, PROFILES

PROPERTY = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
hostile = st.text(
    "aăbđêơư AĐ*\\*<>&\"';]]>-/\n\t\x00\x01\x0b\x0c\x1f\x7f\x85\ufffe\uffff\u200b\u00a0",
    min_size=1,
    max_size=50,
).map(lambda text: "Ý " + text)  # starts with a word, as text does
emphasised = st.lists(
    st.tuples(st.sampled_from(["", "*", "**", "***"]), hostile), min_size=1, max_size=4
).map(lambda pieces: " ".join(f"{m}{t.strip() or 'x'}{m}" for m, t in pieces))
LAM_DONG = DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml"
BASES = [LAM_DONG, DATA / "bien-ban-dang-uy-phuong.yaml"]
RENDERED: list[str] = []


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml), method="c14n")


@pytest.mark.parametrize("path", sorted(builtin_templates().glob("*.docx")), ids=lambda p: p.name)
def test_every_built_in_story_part_is_proven(path):
    for profile in PROFILES.values():
        template = Template(path, profile)
        stories = [part for part in template.parts if part.template is not None]
        assert stories and all(part.proven for part in stories), [p.name for p in stories]


@PROPERTY
@given(
    base=st.sampled_from(BASES),
    subject=hostile,
    text=emphasised,
    recipient=hostile,
    signer=hostile,
    closing=emphasised,
)
def test_hostile_values_give_well_formed_valid_documents(
    base, subject, text, recipient, signer, closing
):
    source = select_kind(load(base), None, KINDS)
    data = source.data
    data.update(subject=subject, closing=closing, recipients=[recipient, "Sở <Nội> vụ"])
    data["conclusions"] = [{"text": text, "points": [text]}]
    data["signer"] = {**(data.get("signer") or {"position": "CHỦ TỊCH"}), "name": signer}
    try:
        record, _warnings = validate(source)
    except RecordError:
        return  # refused with messages: nothing is written
    RENDERED.append(record.kind)
    values = context(record)
    path = builtin_template(record.kind, record.rules)
    outcomes = []
    for proof in (True, False):
        try:
            outcomes.append(Template(path, record.rules, proof=proof).render(values))
        except TemplateError as exc:  # a character XML forbids (U+FFFE): refused, as before
            assert "rendered XML is broken" in str(exc)
            outcomes.append(None)
    fast, full = outcomes
    if fast is None or full is None:
        assert fast is None and full is None
        return
    fast_parts, full_parts = parts(fast), parts(full)
    assert fast_parts.keys() == full_parts.keys()
    for name, xml in fast_parts.items():
        if name.endswith(".xml") or name.endswith(".rels"):
            assert canonical(xml) == canonical(full_parts[name]), name
    assert [str(f) for f in errors_in(validate_package(fast))] == []


def test_the_hostile_values_reached_the_renderer():
    assert len(RENDERED) >= 10 and len(set(RENDERED)) == 2


def test_markup_a_template_lets_through_is_parsed_in_full(tmp_path):
    """`|safe` is outside the proof: that document is parsed, and broken XML is refused
    as it always was, naming the template."""
    from helpers import edit_part

    source = builtin_template("thong-bao-ket-luan", PROFILES["nd30"])
    data = edit_part(
        source.read_bytes(),
        "word/document.xml",
        lambda xml: xml.replace("{{ subject }}", "{{ subject|safe }}", 1),
    )
    template = tmp_path / "safe.docx"
    template.write_bytes(data)
    record, _ = validate(select_kind(load(LAM_DONG), None, KINDS))
    compiled = Template(template, record.rules)
    assert all(p.proven for p in compiled.parts if p.template is not None)
    values = context(record)
    assert b"<w:document" in parts(compiled.render(values))["word/document.xml"]
    values["subject"] = "<w:p>"  # plain text marked safe by the template: raw markup
    with pytest.raises(TemplateError, match="rendered XML is broken"):
        compiled.render(values)
    template.unlink()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def proven(source: str) -> list[str] | None:
    """The slot kinds of `source` when it is proven, else None."""
    from notice_gen.docx.proof import Slots, prove
    from notice_gen.docx.sandbox import Sandbox
    from notice_gen.docx.template import _emphasis_properties

    slots = Slots()
    tree = Sandbox().parse_checked(source)
    if not prove(tree, slots, _emphasis_properties):
        return None
    return [slot.kind for slot in slots.slots]


@pytest.mark.parametrize(
    "source",
    [
        # each piece balanced on its own, yet two openings and one closing break it
        f"<w:b {W}>{{% for x in xs %}}<w:p>{{% endfor %}}"
        "{% for x in xs %}</w:p>{% endfor %}</w:b>",
        f"<w:b {W}>{{% if x %}}<w:p>{{% else %}}<w:r>{{% endif %}}</w:p></w:b>",
        f"<w:b {W}><w:p {{% if x %}}w:a='1'{{% endif %}}/></w:b>",  # inside a tag
        f"<w:b {W}><w:p {{{{ x }}}}/></w:b>",  # a value where attributes go
        f"{{{{ x }}}}<w:b {W}/>",  # text outside the root
        f"<w:b {W}>{{% for x in xs %}}<w:p/>{{% endfor %}}<![CDATA[{{{{ x }}}}]]></w:b>",
        f"<w:b {W}>{{% macro m() %}}<w:p/>{{% endmacro %}}{{{{ m() }}}}</w:b>",
        f"<w:b {W}><w:p></w:b>",  # broken as it stands
    ],
)
def test_what_the_proof_cannot_vouch_for_is_parsed_for_every_document(source):
    assert proven(source) is None


def test_slots_know_run_text_from_other_places():
    source = (
        f'<w:body {W}>{{% for p in body %}}<w:p><w:pPr><w:ind w:left="{{{{ p.n }}}}"/></w:pPr>'
        '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{{ p.text }}</w:t></w:r>'
        "{% if p.more %}<w:r><w:t>{{ p.more }}</w:t></w:r>{% endif %}</w:p>{% endfor %}"
        "<w:p>{{ stray }}</w:p></w:body>"
    )
    assert proven(source) == ["plain", "text", "text", "plain"]


def test_emphasis_runs_take_the_template_run_properties():
    record, _ = validate(select_kind(load(LAM_DONG), None, KINDS))
    values = context(record)
    body = values["body"]
    body[0] = {**body[0], "text": BodyText("Đã *xem xét* và **thống nhất** <&>")}
    path = builtin_template(record.kind, record.rules)
    xml = parts(Template(path, record.rules).render(values))["word/document.xml"]
    root = etree.fromstring(xml)
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    paragraph = next(p for p in root.iter(f"{{{ns['w']}}}p") if "xem xét" in "".join(p.itertext()))
    runs = [
        ("".join(r.itertext()), r.find("w:rPr/w:i", ns) is not None, r.find("w:rPr/w:b", ns))
        for r in paragraph.findall("w:r", ns)
    ]
    texts = [(text, italic, b is not None) for text, italic, b in runs if text]
    assert ("xem xét", True, False) in texts
    assert ("thống nhất", False, True) in texts
    assert any(text.endswith(" <&>") and not italic for text, italic, _b in texts)


def test_without_emphasis_the_part_is_the_same_bytes_either_way():
    """The proof adds no run properties of its own: a document without emphasis is the
    template's text with the values in, byte for byte the full path's part."""
    record, _ = validate(select_kind(load(LAM_DONG), None, KINDS))
    values = context(record)
    path = builtin_template(record.kind, record.rules)
    fast = parts(Template(path, record.rules).render(values))
    full = parts(Template(path, record.rules, proof=False).render(values))
    assert fast["word/document.xml"] == full["word/document.xml"]
