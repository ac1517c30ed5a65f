"""The layers of docs/architecture.md, enforced: who may import whom, module sizes,
no private name imported across modules, no skip without a platform marker."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "notice_gen"
SHARED = ("notice_gen.atomic", "notice_gen.errors", "notice_gen.i18n", "notice_gen.version")
ALLOWED = {  # package -> what it may import of notice_gen (besides itself and SHARED)
    "notice_gen.rules": ("notice_gen.docx.ns",),  # units
    "notice_gen.record": ("notice_gen.rules",),
    "notice_gen.docx": ("notice_gen.rules",),
    "notice_gen.lint": ("notice_gen.rules", "notice_gen.docx", "notice_gen.record.text"),
    "notice_gen.register": ("notice_gen.rules", "notice_gen.record"),
    "notice_gen.pipeline": (
        "notice_gen.rules",
        "notice_gen.record",
        "notice_gen.docx",
        "notice_gen.lint",
        "notice_gen.register",
    ),
}
INTERFACES = ("notice_gen.importer", "notice_gen.web")  # beside the command line, above pipeline
ALLOWED |= {
    interface: (*ALLOWED["notice_gen.pipeline"], "notice_gen.pipeline") for interface in INTERFACES
}
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names imported from it, line) of every import, function bodies too."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            found.append((target, names, node.lineno))
    return found


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_each_layer_imports_only_what_lies_below_it():
    wrong = []
    for path in modules():
        name = module_name(path)
        layer = next((p for p in ALLOWED if within(name, (p,))), None)
        if layer is None:
            continue
        allowed = (layer, *SHARED, *ALLOWED[layer])
        for target, names, line in imports(path):
            targets = (
                [target] + [f"{target}.{n}" for n in names] if target == "notice_gen" else [target]
            )
            for t in targets:
                if within(t, ("notice_gen",)) and t != "notice_gen" and not within(t, allowed):
                    wrong.append(f"{path.relative_to(SRC)}:{line} imports {t}")
                if t == "notice_gen" and not names:
                    wrong.append(f"{path.relative_to(SRC)}:{line} imports the package facade")
    assert wrong == []


def test_no_private_name_is_imported_across_modules():
    wrong = [
        f"{path.relative_to(SRC)}:{line} imports {target}.{n}"
        for path in modules()
        for target, names, line in imports(path)
        if within(target, ("notice_gen",))
        for n in names
        if n.startswith("_") and n != "_"
    ]
    assert wrong == []


def test_no_module_is_over_600_lines():
    long = {
        str(p.relative_to(SRC)): n
        for p in modules()
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_a_skip_fails_the_run_unless_marked_platform(tmp_path):
    shutil.copy(Path(__file__).with_name("conftest.py"), tmp_path)
    test = tmp_path / "test_skips.py"
    test.write_text("import pytest\n\ndef test_needs_something():\n    pytest.skip('missing')\n")

    def pytest_run() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)

    skipped = pytest_run()
    assert skipped.returncode == 1, skipped.stdout
    assert "skipped without a platform marker (fails the run)" in skipped.stdout
    assert "test_skips.py::test_needs_something" in skipped.stdout
    test.write_text(
        "import pytest\n\n@pytest.mark.platform('only where X runs')\n"
        "def test_needs_something():\n    pytest.skip('not here')\n"
    )
    assert pytest_run().returncode == 0
