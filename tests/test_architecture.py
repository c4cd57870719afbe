"""The layer order of docs/architecture.md, enforced: no import cycle, no import from a higher
layer, every module covered by the table, no framework in the pure core; and every module imports.

Imports are read with `ast`, function-local ones included (a lazy import is still a
dependency); imports under `if TYPE_CHECKING:` are not dependencies at run time and are skipped.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DOC = ROOT / "docs" / "architecture.md"
PURE_CORE_TOP = 5  # layers 1..5 are the pure core (docs/architecture.md)
FRAMEWORKS = ("django", "scrapy", "twisted", "celery", "requests", "httpx", "aiohttp", "urllib3", "kombu", "redis")


@lru_cache(maxsize=1)
def layer_table() -> dict[str, tuple[int, str]]:
    """Module prefix -> (layer number, layer name), from the ```layers block of the doc."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block is not None, "docs/architecture.md has no ```layers block"
    table = {}
    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        number, name, *prefixes = line.split()
        for prefix in prefixes:
            assert prefix not in table, f"{prefix} is in two rows of the layer table"
            table[prefix] = (int(number), name)
    return table


def layer_of(module: str) -> tuple[int, str] | None:
    table = layer_table()
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        found = table.get(".".join(parts[:n]))
        if found is not None:
            return found
    return None


@lru_cache(maxsize=1)
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "govwatch").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


@lru_cache(maxsize=None)
def imports_of(module: str) -> frozenset[str]:
    """Every module name `module` imports (govwatch modules resolved to modules() keys, others as written)."""
    path = modules()[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_lines(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    known = modules()
    out = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.add(target)
            # `from package import module` imports the submodule too.
            out.update(f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in known)
    return frozenset(out)


def internal_edges() -> dict[str, set[str]]:
    known = modules()
    edges = {}
    for module in known:
        targets = set()
        for name in imports_of(module):
            # An import of a.b.c also runs a and a.b: the nearest known module is the dependency.
            parts = name.split(".")
            for n in range(len(parts), 0, -1):
                candidate = ".".join(parts[:n])
                if candidate in known:
                    if candidate != module:
                        targets.add(candidate)
                    break
        edges[module] = targets
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def _is_package_init_edge(source: str, target: str) -> bool:
    """A submodule importing its own package's __init__ (which may re-export that submodule) is
    how Python packages are built, not a cycle between modules."""
    return source.startswith(target + ".")


def test_layer_table_covers_every_module():
    uncovered = sorted(m for m in modules() if layer_of(m) is None)
    assert len(modules()) > 100  # the walk found the package
    assert uncovered == []


def test_no_module_imports_from_a_higher_layer():
    violations = []
    edges = internal_edges()
    assert sum(len(t) for t in edges.values()) > 200  # the parse found the imports
    for module, targets in sorted(edges.items()):
        own = layer_of(module)
        for target in sorted(targets):
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs[0] > own[0]:
                violations.append(f"{module} ({own[1]}) imports {target} ({theirs[1]})")
    assert violations == []


def test_no_import_cycle_between_modules():
    edges = {m: {t for t in targets if not _is_package_init_edge(m, t)} for m, targets in internal_edges().items()}
    assert cycles(edges) == []


def test_cycle_finder_finds_a_planted_cycle():
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(planted) == [["a", "b", "c"]]


def test_pure_core_imports_no_framework():
    violations = []
    for module in sorted(modules()):
        layer = layer_of(module)
        if layer is None or layer[0] > PURE_CORE_TOP:
            continue
        for name in sorted(imports_of(module)):
            if name.split(".")[0] in FRAMEWORKS:
                violations.append(f"{module} imports {name}")
    assert violations == []


@pytest.mark.parametrize("module", sorted(modules()))
def test_every_module_imports(module):
    assert importlib.import_module(module).__name__ == module


MAX_LINES = 600
REASON = "Over 600 lines because"


def test_no_module_over_600_lines_without_a_reason_at_its_top():
    long = []
    for module, path in sorted(modules().items()):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES and REASON not in (ast.get_docstring(ast.parse(text)) or ""):
            long.append(f"{module}: {text.count(chr(10))} lines")
    assert len(modules()) > 100
    assert long == []
