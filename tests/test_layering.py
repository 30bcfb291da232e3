"""The architecture, enforced: stages import only downwards, there are no import cycles, and the pure
layers neither load I/O libraries (not even through another module) nor read the clock.

LAYERS lists the packages of bot/ from the bottom up. A module may import its own package and any package
of a lower layer; importing a higher one is an upward import. Function-local imports count too: they
hide a cycle, they do not remove it.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"model"}),  # plain values and records
    frozenset({"errors"}),  # the one error root
    frozenset({"ledger"}),  # baseline file and entries
    frozenset({"analysis"}),  # rule engine, claims, periods, comparison
    frozenset({"alerts", "ingest"}),  # stories and judge; sources, fetch, feeds, extract (independent)
    frozenset({"store"}),  # all SQL, the heartbeat file
    frozenset({"delivery"}),  # rendering, digest, outbox worker
    frozenset({"config"}),  # settings from the environment
    frozenset({"pipeline"}),  # one poll pass
    frozenset({"ops"}),  # health, metrics, notices, source check
    frozenset({"telegram"}),  # the Telegram side
    frozenset({"app"}),  # the composition root
    frozenset({"cli"}),
    frozenset({"__main__"}),
)
# Pure: no sqlite3, httpx, telegram or scheduler, not even transitively, and no clock reads.
PURE_MODULES = (
    "bot.model", "bot.model.records", "bot.model.durations", "bot.ledger.entries", "bot.analysis.rulebook",
    "bot.analysis.claims",
    "bot.analysis.periods", "bot.analysis.compare", "bot.alerts.stories", "bot.alerts.judge",
    "bot.delivery.headline", "bot.delivery.render", "bot.delivery.digest", "bot.delivery.preferences",
    "bot.ingest.schedule", "bot.ingest.feeds", "bot.ingest.sources", "bot.telegram.access",
)
IO_LIBRARIES = ("sqlite3", "httpx", "telegram", "apscheduler", "psycopg")
CLOCK_CALLS = frozenset({("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time"),
                         ("time", "monotonic"), ("time", "perf_counter")})


def module_name(path: Path) -> str:
    parts = ("bot", *path.relative_to(BOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    stage = module.split(".")[1] if "." in module else "__init__"
    for rank, names in enumerate(LAYERS):
        if stage in names:
            return rank
    raise AssertionError(f"{module}: its stage {stage!r} has no layer in tests/test_layering.py")


def bot_imports(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """(imported bot module, line) for every import in the file, function-local ones included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("bot."):
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            if base == "bot" or base.startswith("bot."):
                for alias in node.names:  # a submodule when there is one, else a name in the package
                    yield f"{base}.{alias.name}", node.lineno


def import_graph(root: Path) -> dict[str, list[tuple[str, int]]]:
    graph: dict[str, list[tuple[str, int]]] = {}
    for path in sorted(root.rglob("*.py")):
        module = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = list(bot_imports(tree, module, path.name == "__init__.py"))
    return {module: [(target if target in graph else target.rsplit(".", 1)[0], line) for target, line in imports]
            for module, imports in graph.items()}


def upward_imports(graph: Mapping[str, list[tuple[str, int]]]) -> list[str]:
    problems = []
    for module, imports in graph.items():
        if module == "bot":
            continue
        for target, line in imports:
            if target != "bot" and layer_of(target) > layer_of(module):
                problems.append(f"{module}:{line} imports {target} from a higher layer")
    return problems


def find_cycle(graph: Mapping[str, list[tuple[str, int]]]) -> list[str] | None:
    """One import cycle between modules, or None."""
    edges = {m: sorted({t for t, _ in imps if t in graph and t != m}) for m, imps in graph.items()}
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in edges:
        if start not in state and (found := visit(start)):
            return found
    return None


def clock_reads(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
            if (name, node.func.attr) in CLOCK_CALLS:
                lines.append(node.lineno)
    return lines


def test_no_upward_imports() -> None:
    assert upward_imports(import_graph(BOT)) == []


def test_no_import_cycles() -> None:
    assert find_cycle(import_graph(BOT)) is None


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_modules_read_no_clock(module: str) -> None:
    rel = Path(*module.split(".")[1:])
    path = BOT / rel.with_suffix(".py") if (BOT / rel.with_suffix(".py")).exists() else BOT / rel / "__init__.py"
    assert clock_reads(ast.parse(path.read_text(encoding="utf-8"))) == [], f"{module} reads the clock"


def test_pure_modules_load_no_io_library() -> None:
    # A fresh interpreter: what importing the pure layers pulls in, transitively.
    code = ("import sys\n" + "".join(f"import {m}\n" for m in PURE_MODULES)
            + f"print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in {IO_LIBRARIES!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=BOT.parent).stdout.strip()
    assert out == ""


def test_the_readme_layout_table_names_every_stage() -> None:
    readme = (BOT.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Layout"):]
    named = set(re.findall(r"^\| `(bot/[^`]+)`", table, re.M)) | set(re.findall(r"`(bot/[a-z_]+\.py)`", table))
    tree = {f"bot/{p.name}/" for p in BOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    tree |= {f"bot/{p.name}" for p in BOT.glob("*.py") if p.stem not in ("__init__", "__main__")}
    tree.add("bot/rules/")
    assert sorted(tree - named) == [] and sorted(named - tree) == []


# The checks themselves, on a small invented tree: they must catch what they claim to catch.

def _tree(tmp_path: Path, files: Mapping[str, str]) -> Path:
    root = tmp_path / "bot"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_check_catches_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, {"__init__.py": "", "model/__init__.py": "from bot.pipeline import poll_pass\n",
                            "pipeline.py": "from bot.model import Article\n"})
    monkeypatch.setattr(sys.modules[__name__], "BOT", root)
    assert upward_imports(import_graph(root)) == ["bot.model:1 imports bot.pipeline from a higher layer"]


def test_the_check_catches_a_cycle_hidden_in_a_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path, {"__init__.py": "", "app.py": "from bot.telegram import application\n",
                            "telegram/__init__.py": "", "telegram/application.py":
                            "def run():\n    from bot.app import make_runtime\n"})
    monkeypatch.setattr(sys.modules[__name__], "BOT", root)
    assert find_cycle(import_graph(root)) == ["bot.app", "bot.telegram.application", "bot.app"]


def test_the_check_catches_a_clock_read() -> None:
    assert clock_reads(ast.parse("from datetime import datetime\ndef f():\n    return datetime.now()\n")) == [3]
