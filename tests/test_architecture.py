"""The layers' import direction, read from the source: the core knows no workflow.

docs/architecture.md draws the layers. The core (``core``, ``organisation``, ``people``)
offers extension points (``complexcases/core/registry.py``) and imports no workflow; the
workflows (``screening``, ``triage``, ``panel``, ``jcw``) do not import ``reporting``, which
reads them all; the case (``complexcases/cases``) imports no workflow that hangs on it.
``outcomes`` sits beside ``reporting`` at the top: it reads the workflows and the reporting
scope (ADR 0016), and nothing imports it, ``reporting`` included.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CORE = ("complexcases/core", "complexcases/organisation", "complexcases/people")
WORKFLOWS = ("complexcases/screening", "triage", "panel", "jcw")
WORKFLOW_MODULES = (
    "complexcases.screening",
    "complexcases.cases",
    "triage",
    "panel",
    "jcw",
    "complexcases.reporting",
    "complexcases.outcomes",
)
TOP = ("complexcases.reporting", "complexcases.outcomes")

# The case (ADR 0040) sits between the core and triage, panel and jcw: they hang their records
# on it and register its parts; it imports none of them.
RULES = (
    [(package, WORKFLOW_MODULES) for package in CORE]
    + [(package, TOP) for package in WORKFLOWS]
    + [("complexcases/cases", ("triage", "panel", "jcw", *TOP))]
    + [("complexcases/reporting", ("complexcases.outcomes",))]
)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (top level or inside a function), made absolute."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from panel import services` imports panel.services
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _violations(package: str, forbidden: tuple[str, ...]) -> list[str]:
    problems = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in sorted(_imports(path)):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return problems


@pytest.mark.parametrize(("package", "forbidden"), RULES, ids=[p for p, _ in RULES])
def test_imports_point_one_way(package, forbidden):
    """A package never imports a layer above it: use core.registry instead."""
    assert _violations(package, forbidden) == []


def test_the_check_sees_a_forbidden_import(tmp_path, monkeypatch):
    """The walk finds relative, absolute and function-level imports."""
    package = tmp_path / "complexcases" / "core"
    package.mkdir(parents=True)
    (package / "bad.py").write_text(
        "from ..screening import selectors\n"
        "def view():\n"
        "    from panel.selectors import needs_me_today\n"
        "import jcw.models\n"
    )
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _violations("complexcases/core", WORKFLOW_MODULES) == [
        "complexcases/core/bad.py:1 imports complexcases.screening",
        "complexcases/core/bad.py:1 imports complexcases.screening.selectors",
        "complexcases/core/bad.py:3 imports panel.selectors",
        "complexcases/core/bad.py:3 imports panel.selectors.needs_me_today",
        "complexcases/core/bad.py:4 imports jcw.models",
    ]
