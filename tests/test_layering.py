"""Dependencies run one way (README, architecture.md): crawler → snapshot ← audits ← reports. An
audit judges what the snapshot stores and a report renders what the audits found; neither may
reach into the crawler, at the top of a module or inside a function."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    package = path.relative_to(REPO).with_suffix("").parts[:-1]
    if path.name == "__init__.py":
        package = path.relative_to(REPO).parts[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[:len(package) - node.level + 1])
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((node.lineno, module))
            # `from . import crawler`-style: the names may be modules themselves.
            out += [(node.lineno, f"{module}.{alias.name}" if module else alias.name)
                    for alias in node.names]
    return out


def crawler_imports(root: Path) -> list[str]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        for line, module in imported_modules(path):
            if module == "crawler" or module.startswith("crawler."):
                found.setdefault(f"{path.relative_to(REPO)}:{line}", f"imports {module}")
    return [f"{where} {what}" for where, what in found.items()]


@pytest.mark.parametrize("layer", ["audits", "reports"])
def test_audits_and_reports_never_import_the_crawler(layer):
    assert crawler_imports(REPO / layer) == []


def test_the_check_sees_every_kind_of_import(tmp_path, monkeypatch):
    """The walk itself: top-level, in a function, `from … import`, relative — all caught."""
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    pkg = tmp_path / "audits" / "rules"
    pkg.mkdir(parents=True)
    (pkg / "a.py").write_text("import crawler.outcomes\n", encoding="utf-8")
    (pkg / "b.py").write_text("def f():\n    from crawler.extract import dom\n", encoding="utf-8")
    (pkg / "c.py").write_text("from ... import crawler\n", encoding="utf-8")
    (pkg / "d.py").write_text("from snapshot.model import OK\nimport crawlers_elsewhere\n",
                              encoding="utf-8")
    found = crawler_imports(tmp_path / "audits")
    assert [f.split(" ")[0] for f in found] == [
        "audits/rules/a.py:1", "audits/rules/b.py:2", "audits/rules/c.py:1"]
