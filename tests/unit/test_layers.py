"""The dependency rule (design.md section 2), checked by parsing every module with `ast`.

domain -> stdlib + attrs + peak_trade.domain; ports -> + peak_trade.ports; adapters -> anything but
peak_trade.app, dependency_injector and tomli. Inside app/: only bootstrap.py and venues/ import
adapters; dependency_injector lives in bootstrap.py, tomli in config/; session/, orders/, alerts/
and monitoring/ import only domain, ports, app errors and themselves (session/ also orders/, its
order path), so the use case never depends on config files, adapters or the CLI, and the read
side never on the session. Nothing is built at import time: no env reads, clocks, clients or
files at module level or in default arguments.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = "peak_trade"
APP_ONLY_LIBRARIES = ("dependency_injector", "tomli")
# Inside app/: which app modules may use a library or an outer layer at all.
ADAPTER_IMPORTERS = ("bootstrap", "venues")
LIBRARY_HOMES = {"dependency_injector": ("bootstrap",), "tomli": ("config",)}
# app/ sub-packages that are inner circles: what each may import inside peak_trade.
INNER_APP = {
    "session": ("domain", "ports", "app.errors", "app.session", "app.orders"),
    "orders": ("domain", "ports", "app.errors", "app.orders"),
    "alerts": ("domain", "ports", "app.errors", "app.alerts"),
    "monitoring": ("domain", "ports", "app.errors", "app.monitoring"),
}
# Calls that build a client, read a clock or the environment, or touch files.
IMPORT_TIME_CALLS = frozenset(
    {
        "Client",
        "AsyncClient",
        "SystemClock",
        "SimulatedClock",
        "now",
        "utcnow",
        "today",
        "time",
        "monotonic",
        "perf_counter",
        "getenv",
        "open",
        "urlopen",
        "read_text",
        "read_bytes",
        "load_config",
    }
)


def _layer(parts: tuple[str, ...]) -> str:
    """'domain', 'ports', 'adapters', 'app', or 'root' for modules directly in the package."""
    if parts[-1] == "__main__.py":
        return "app"  # `python -m peak_trade` runs the CLI
    return parts[1] if len(parts) > 2 else "root"


def _module_name(parts: tuple[str, ...]) -> tuple[str, str]:
    """(module name, package name used to resolve relative imports)."""
    names = list(parts)
    names[-1] = names[-1].removesuffix(".py")
    if names[-1] == "__init__":
        names.pop()
        return ".".join(names), ".".join(names)
    return ".".join(names), ".".join(names[:-1])


def _imports(tree: ast.AST, package: str) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield node.lineno, target


def _app_part(parts: tuple[str, ...]) -> str:
    """The app/ sub-package or module a file belongs to ('session', 'bootstrap', 'cli', ...);
    '' for app/__init__.py and for `python -m peak_trade` (the CLI's entry)."""
    if len(parts) < 3 or parts[1] != "app" or parts[2] == "__init__.py":
        return "cli" if parts[-1] == "__main__.py" else ""
    return parts[2].removesuffix(".py")


def _forbidden_in_app(part: str, target: str) -> str | None:
    top = target.split(".")[0]
    inside = top == PACKAGE
    path = target.split(".", 1)[1] if inside and "." in target else ""
    if part in INNER_APP:
        allowed = INNER_APP[part]
        if inside and not any(path == a or path.startswith(a + ".") for a in allowed):
            return f"app/{part} may import only {', '.join(allowed)} inside {PACKAGE}"
        if not inside and top not in sys.stdlib_module_names and top not in ("__future__", "attrs"):
            return f"app/{part} may import only the standard library and attrs, not {top}"
        return None
    if inside and path.split(".")[0] == "adapters" and part not in ADAPTER_IMPORTERS:
        return "only app/bootstrap.py and app/venues/ import adapters"
    homes = LIBRARY_HOMES.get(top)
    if homes is not None and part not in homes:
        return f"{top} belongs to app/{homes[0]} only"
    return None


def _forbidden_import(layer: str, target: str, app_part: str = "") -> str | None:
    top = target.split(".")[0]
    inside = top == PACKAGE
    inner_layer = target.split(".")[1] if inside and "." in target else ""
    if layer == "app":
        return _forbidden_in_app(app_part, target)
    if layer == "adapters":
        if inner_layer == "app":
            return "adapters must not import app/"
        if top in APP_ONLY_LIBRARIES:
            return f"{top} belongs to app/ only"
        return None
    if layer == "root":
        return None if not inside or target == PACKAGE else "the package root imports no layer"
    allowed_inner = {"domain"} if layer == "domain" else {"domain", "ports"}
    if inside:
        if target == PACKAGE or inner_layer in allowed_inner:
            return None
        return f"{layer} may import only {', '.join(sorted(allowed_inner))} inside {PACKAGE}"
    if top in sys.stdlib_module_names or top == "__future__":
        return None
    if layer == "domain" and top == "attrs":
        return None
    if layer == "ports" and top == "attrs":
        return None
    return f"{layer} may import only the standard library and attrs, not {top}"


def _is_main_guard(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Compare)
        and isinstance(node.test.left, ast.Name)
        and node.test.left.id == "__name__"
    )


def _import_time_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node evaluated when the module is imported (function bodies excluded)."""
    pending: list[ast.AST] = [stmt for stmt in tree.body if not _is_main_guard(stmt)]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            args = node.args
            pending.extend(d for d in (*args.defaults, *args.kw_defaults) if d is not None)
            if not isinstance(node, ast.Lambda):
                pending.extend(node.decorator_list)
            continue
        pending.extend(ast.iter_child_nodes(node))


def _default_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Default-argument expressions of every function, nested ones included."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for default in (*node.args.defaults, *node.args.kw_defaults):
                if default is not None:
                    yield from ast.walk(default)


def _names_from_os(tree: ast.Module) -> frozenset[str]:
    """Local names bound by `from os import environ/getenv [as x]`."""
    return frozenset(
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "os" and not node.level
        for alias in node.names
        if alias.name in ("environ", "getenv", "environb")
    )


def _import_time_effect(node: ast.AST, os_names: frozenset[str]) -> str | None:
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and node.attr in ("environ", "getenv", "environb")
    ):
        return f"reads os.{node.attr}"
    if isinstance(node, ast.Name) and node.id in os_names:
        return f"reads {node.id} from os"
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in IMPORT_TIME_CALLS:
            return f"calls {name}()"
    return None


def find_violations(src_root: Path) -> list[str]:
    """Every layering or import-time violation in the package under `src_root`."""
    found: list[str] = []
    for path in sorted((src_root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(src_root).parts
        layer = _layer(parts)
        _, package = _module_name(parts)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(src_root)
        app_part = _app_part(parts) if layer == "app" else ""
        for line, target in _imports(tree, package):
            reason = _forbidden_import(layer, target, app_part)
            if reason:
                found.append(f"{where}:{line}: imports {target}: {reason}")
        if path.name == "__main__.py":
            continue  # running the CLI is what `python -m peak_trade` is for
        os_names = _names_from_os(tree)
        nodes = {id(n): n for n in (*_import_time_nodes(tree), *_default_nodes(tree))}
        for node in nodes.values():
            effect = _import_time_effect(node, os_names)
            if effect:
                line = getattr(node, "lineno", 0)
                found.append(f"{where}:{line}: {effect} at import time or in a default argument")
    return sorted(set(found))


# --- the real package --------------------------------------------------------------------------


def test_package_respects_the_dependency_rule_and_builds_nothing_at_import() -> None:
    assert (SRC / PACKAGE / "domain").is_dir()
    assert find_violations(SRC) == []


def test_every_layer_of_the_package_is_checked() -> None:
    layers = {_layer(p.relative_to(SRC).parts) for p in (SRC / PACKAGE).rglob("*.py")}
    assert {"domain", "ports", "adapters", "app", "root"} <= layers


# --- the checker itself can fail --------------------------------------------------------------


def make_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / PACKAGE / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in ("", "domain", "ports", "adapters", "app"):
        init = tmp_path / PACKAGE / folder / "__init__.py"
        init.parent.mkdir(parents=True, exist_ok=True)
        if not init.exists():
            init.write_text("", encoding="utf-8")
    return tmp_path


CLEAN = {
    "domain/money.py": "from __future__ import annotations\nimport decimal\nimport attrs\n"
    "from peak_trade.domain import other\nfrom . import other as o\n",
    "ports/port.py": "from typing import Protocol\nfrom peak_trade.domain.money import x\n",
    "adapters/http.py": "import httpx\nfrom peak_trade.ports.port import P\n"
    "def make(timeout: float = 5.0) -> object:\n    import os\n    return os.environ.get('X')\n",
    "app/bootstrap.py": "import dependency_injector\nimport os\nENV = os.environ\n"
    "from peak_trade.adapters.http import make\nfrom peak_trade.app.session import s\n",
    "app/config/loader.py": "import tomli\nfrom peak_trade.app.venues import VENUES\n",
    "app/venues/kraken.py": "from peak_trade.adapters.kraken import client\n",
    "app/session/session.py": "import attrs\nfrom peak_trade.app.orders import executor\n"
    "from peak_trade.ports.exchange import ExchangePort\nfrom peak_trade.app.errors import E\n",
    "app/monitoring/view.py": "from peak_trade.ports.runlog import RunArchivePort\n",
    "app/cli/session.py": "from peak_trade.app.bootstrap import build_session\n",
}


def test_a_clean_tree_has_no_violations(tmp_path: Path) -> None:
    assert find_violations(make_tree(tmp_path, CLEAN)) == [
        "peak_trade/app/bootstrap.py:3: reads os.environ at import time or in a default argument"
    ]


def test_domain_importing_httpx_is_reported(tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"domain/bad.py": "import httpx\n"})
    assert find_violations(root) == [
        "peak_trade/domain/bad.py:1: imports httpx: domain may import only the standard "
        "library and attrs, not httpx"
    ]


def test_inward_violations_between_layers_are_reported(tmp_path: Path) -> None:
    files = {
        "domain/a.py": "from peak_trade.ports.exchange import ExchangePort\n",
        "domain/b.py": "from ..adapters import clocks\n",
        "ports/c.py": "from peak_trade.adapters.clocks import SystemClock\n",
        "adapters/d.py": "from peak_trade.app.config import AppConfig\n",
        "adapters/e.py": "def f():\n    import tomli\n",
        "adapters/f.py": "from dependency_injector import containers\n",
        "domain/g.py": "import typing\nif typing.TYPE_CHECKING:\n    import httpx\n",
    }
    root = make_tree(tmp_path, files)
    reported = {line.split(":")[0] for line in find_violations(root)}
    assert reported == {f"peak_trade/{name}" for name in files}


def test_app_sub_package_rules_are_reported(tmp_path: Path) -> None:
    files = {
        "app/session/a.py": "from peak_trade.app.config import AppConfig\n",
        "app/session/b.py": "import tomli\n",
        "app/session/c.py": "from peak_trade.adapters.clocks import SystemClock\n",
        "app/orders/d.py": "from peak_trade.app.session.session import TestnetSession\n",
        "app/monitoring/e.py": "from peak_trade.app.session.metrics import Metrics\n",
        "app/monitoring/f.py": "from peak_trade.adapters.runlog.reader import RunLogReader\n",
        "app/alerts/g.py": "from peak_trade.app.cli import main\n",
        "app/cli/h.py": "from peak_trade.adapters.clocks import SystemClock\n",
        "app/plan.py": "from peak_trade.adapters.in_memory.replay import read\n",
        "app/cli/i.py": "from dependency_injector import providers\n",
        "app/monitoring/j.py": "import tomli\n",
    }
    root = make_tree(tmp_path, files)
    reported = {line.split(":")[0] for line in find_violations(root)}
    assert reported == {f"peak_trade/{name}" for name in files}


def test_import_time_env_reads_clocks_and_clients_are_reported(tmp_path: Path) -> None:
    files = {
        "adapters/env.py": "import os\nKEY = os.getenv('KRAKEN_KEY')\n",
        "adapters/clock.py": "from datetime import datetime\nSTART = datetime.now()\n",
        "adapters/client.py": "import httpx\nclass K:\n    http = httpx.Client()\n",
        "adapters/default.py": "import os\ndef f(env=os.environ):\n    return env\n",
        "app/default_clock.py": "def run(clock=SystemClock()):\n    pass\n",
        "app/nested.py": "def outer():\n    def inner(t=time.time()):\n        pass\n",
        "app/alias.py": "from os import environ as env\nHOME = env['HOME']\n",
    }
    root = make_tree(tmp_path, files)
    reported = {line.split(":")[0] for line in find_violations(root)}
    assert reported == {f"peak_trade/{name}" for name in files}


def test_calls_inside_functions_and_main_guards_are_fine(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "adapters/ok.py": "import os, httpx\n"
            "def build():\n    return httpx.Client(), os.environ\n"
            "if __name__ == '__main__':\n    build()\n",
            "app/provider.py": "class C:\n    environ = Dependency()\n    x = make(environ)\n",
        },
    )
    assert find_violations(root) == []
