"""Shared fixtures: every .docx a test writes must be a package Word opens, and no test
may skip unless it is marked `platform` (a documented platform limit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from notice_gen.docx.ooxml import errors_in, validate_file

ROOT = Path(__file__).resolve().parents[1]
RECORDS = Path(__file__).resolve().parent / "records"
DATA = ROOT / "data"


def ooxml_errors(docx: Path) -> list[str]:
    """What makes Word refuse `docx`, one line per error; [] for a valid package."""
    return [f"{docx.name}: {finding}" for finding in errors_in(validate_file(docx))]


@pytest.fixture(autouse=True)
def _output_folder(tmp_path: Path) -> Path:
    """Every test gets a temporary folder, whose .docx files are validated after it runs."""
    return tmp_path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A test that wrote a .docx Word would refuse fails, with the reasons."""
    result = yield
    folder = getattr(item, "funcargs", {}).get("tmp_path")
    if folder is not None:
        errors = [line for docx in sorted(folder.rglob("*.docx")) for line in ooxml_errors(docx)]
        if errors:
            pytest.fail("invalid OOXML written:\n" + "\n".join(errors), pytrace=False)
    return result


@pytest.fixture
def render(tmp_path):
    """Render a record file through the public API and open the result."""
    from notice_gen import render_file

    def run(record: Path):
        out, _ = render_file(record, tmp_path / "out")
        return Document(str(out))

    return run


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "platform(reason): the test cannot run on some platform; the only skip allowed",
    )
    config.stash[UNEXPLAINED] = []


UNEXPLAINED = pytest.StashKey[list[str]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Remember every skip of a test without a `platform` marker."""
    report = yield
    if report.skipped and item.get_closest_marker("platform") is None:
        item.config.stash[UNEXPLAINED].append(item.nodeid)
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skip without a `platform` marker fails the run: a skipped check is a missing one."""
    skipped = session.config.stash.get(UNEXPLAINED, [])
    if skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = config.stash.get(UNEXPLAINED, [])
    if skipped:
        terminalreporter.section("skipped without a platform marker (fails the run)")
        for nodeid in skipped:
            terminalreporter.line(nodeid)
