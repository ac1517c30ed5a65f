"""Shared fixtures: every .docx a test writes is checked with shared/tools/ooxml_check.py."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from docx import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RECORDS = Path(__file__).resolve().parent / "records"
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def ooxml():
    """The OOXML checker as a module, with its schemas loaded once."""
    path = SHARED / "tools" / "ooxml_check.py"
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"the OOXML checker is missing: {path}")
        pytest.skip("shared/tools/ooxml_check.py is not beside the project")
    spec = importlib.util.spec_from_file_location("ooxml_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    schema = module.load_schema(module.default_schema_dir())

    def check(docx: Path) -> list[str]:
        report = module.check_file(str(docx), schema, 20, [])
        return [line for line in report.lines(show_warnings=False)]

    return check


@pytest.fixture(autouse=True)
def every_docx_passes_ooxml_check(request, tmp_path):
    """After each test, every .docx it wrote must pass the OOXML checker."""
    yield
    written = sorted(tmp_path.rglob("*.docx"))
    if written:
        check = request.getfixturevalue("ooxml")
        errors = [line for docx in written for line in check(docx)]
        assert not errors, "\n".join(errors)


@pytest.fixture
def render(tmp_path):
    """Render a record file through the public API and open the result."""
    from notice_gen import render_file

    def run(record: Path):
        out, _ = render_file(record, tmp_path / "out")
        return Document(str(out))

    return run
