"""The import rules of DESIGN.md ("Layout and dependency direction", "The engine") as functions of
a source tree, so that a test can run them on the project and, to show that each rule still bites,
on a small tree with one violation planted in it.

Every import counts: at the top of a module or inside a function, relative or absolute, and
``importlib.import_module`` or ``__import__`` with a literal name. Tests are not a package here.
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGES = ("engine", "web", "cli", "tasks", "forms", "access", "catalogue", "care", "messaging", "notify",
            "migrations", "settings", "designer_functions", "design", "incidents", "onboarding", "video", "support",
            "community", "purging")
# Domain and engine code: plain Python that runs the same in a request, a worker and a command.
BELOW_WEB = ("engine", "forms", "access", "catalogue", "care", "messaging", "notify", "tasks", "settings",
             "designer_functions", "design", "incidents", "onboarding", "video", "support", "community", "purging")
FLASK = frozenset({"flask", "flask_babel", "flask_wtf", "flask_migrate", "flask_sqlalchemy", "werkzeug"})
# The one door to Flask-SQLAlchemy below the web: the unbound ``db`` handle.
DB_HANDLE = "engine/db.py"
# The composition root of ``dramatiq tasks.worker``: it builds the app, so it may import web.
WORKER_ROOT = "tasks/worker.py"
# Organisations, catalogue, the care journey, messages and notifications: the domain packages
# beside the engine.
DOMAIN = ("access", "catalogue", "care", "messaging", "notify", "design", "incidents", "onboarding", "video", "support",
          "community", "purging")
ENGINE_FORBIDDEN = frozenset({"web", "tasks", "forms", "cli", "access", "catalogue", "care", "messaging",
                              "notify", "migrations", "dramatiq", "designer_functions", "design", "incidents",
                              "onboarding", "video", "support", "community", "purging"})
FORMS_ALLOWED = frozenset({"forms", "marshmallow", "markupsafe"}) | frozenset(sys.stdlib_module_names)
# The configuration every layer reads: the standard library only, so importing it pulls in nothing.
SETTINGS_ALLOWED = frozenset({"settings"}) | frozenset(sys.stdlib_module_names)
# The designer functions join the engine's sandbox and the forms' instruments, nothing else.
DESIGNER_FUNCTIONS_ALLOWED = frozenset({"designer_functions", "engine", "forms"}) | frozenset(sys.stdlib_module_names)
# What may be imported from inside engine/ by everyone else, besides the facade ``engine`` itself.
ENGINE_MODULES_ALLOWED = frozenset({"engine", "engine.db"})
RUNS_TEXT = frozenset({"eval", "exec", "compile"})
# Reading the process environment: only the settings package does, so every variable is in its table.
ENVIRONMENT_READS = frozenset({"environ", "environb", "getenv", "getenvb"})
# The timer benchmark starts worker processes and hands them its environment, plus a few variables.
ENVIRONMENT_COPIES = frozenset({"cli/bench_timers.py"})


@dataclass(frozen=True)
class Violation:
    rule: str
    path: str
    line: int
    detail: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.detail} ({self.rule})"


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    name: str | None = None  # ``from module import name``


@dataclass(frozen=True)
class Module:
    path: str  # relative to the root, with forward slashes
    package: str  # the top-level package it belongs to
    tree: ast.Module
    imports: tuple[Import, ...]


def check(root: Path, rules=None) -> list[Violation]:
    """Every violation of ``rules`` (default: all of them) in the packages under ``root``."""
    modules = parse(root)
    facade = facade_names(root)
    found = []
    for name in rules or RULES:
        found += RULES[name](modules, facade)
    return sorted(found, key=lambda v: (v.path, v.line, v.rule, v.detail))


def parse(root: Path) -> list[Module]:
    """The Python modules of every package under ``root``, parsed, with what each imports."""
    modules = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            relative = path.relative_to(root).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
            modules.append(Module(relative, package, tree, tuple(_imports(tree, relative))))
    return modules


def facade_names(root: Path) -> frozenset[str]:
    """The names the engine facade exports: the literal ``__all__`` of engine/__init__.py."""
    init = root / "engine" / "__init__.py"
    if not init.exists():
        return frozenset()
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return frozenset(ast.literal_eval(node.value))
    return frozenset()


def _imports(tree: ast.Module, path: str):
    package = _package_of(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (Import(alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node.module, node.level, package)
            for alias in node.names:  # ``from .. import web`` at the top of a package imports web
                yield Import(base, node.lineno, alias.name) if base else Import(alias.name, node.lineno)
        elif isinstance(node, ast.Call) and _dynamic_import(node):
            yield Import(node.args[0].value, node.lineno)


def _package_of(path: str) -> list[str]:
    parts = path[:-3].split("/")
    return parts[:-1]  # the package a module is in (for __init__.py: the package itself)


def _absolute(module: str | None, level: int, package: list[str]) -> str:
    if level == 0:
        return module or ""
    base = package[:len(package) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def _dynamic_import(node: ast.Call) -> bool:
    func = node.func
    named = (isinstance(func, ast.Name) and func.id == "__import__") or (
        isinstance(func, ast.Attribute) and func.attr == "import_module")
    return named and bool(node.args) and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)


def _top(module: str) -> str:
    return module.split(".")[0]


def _violations(rule: str, modules, offends) -> list[Violation]:
    return [Violation(rule, m.path, i.line, f"imports {_spelled(i)}")
            for m in modules for i in m.imports if offends(m, i.module)]


def _spelled(imported: Import) -> str:
    return f"{imported.module}.{imported.name}" if imported.name else imported.module


def spiffworkflow_only_in_engine(modules, facade) -> list[Violation]:
    """Only engine/ imports SpiffWorkflow."""
    return _violations("spiffworkflow_only_in_engine", modules,
                       lambda m, name: m.package != "engine" and _top(name) == "SpiffWorkflow")


def no_flask_below_web(modules, facade) -> list[Violation]:
    """Engine, domain packages, forms and actors import neither web nor Flask (db.py excepted)."""
    def offends(m, name):
        if m.package not in BELOW_WEB:
            return False
        top = _top(name)
        if top == "flask_sqlalchemy" and m.path == DB_HANDLE:
            return False
        return top in FLASK
    return _violations("no_flask_below_web", modules, offends)


def nothing_below_web_imports_web(modules, facade) -> list[Violation]:
    """Only web itself, the command line and the worker's composition root import web."""
    def offends(m, name):
        return _top(name) == "web" and m.package not in ("web", "cli") and m.path != WORKER_ROOT
    return _violations("nothing_below_web_imports_web", modules, offends)


def engine_imports_no_other_package(modules, facade) -> list[Violation]:
    """The engine imports none of the packages above it (nor Dramatiq)."""
    return _violations("engine_imports_no_other_package", modules,
                       lambda m, name: m.package == "engine" and _top(name) in ENGINE_FORBIDDEN)


def domain_imports_no_actors(modules, facade) -> list[Violation]:
    """The domain packages import neither the actors (tasks) nor Dramatiq: the actors call them."""
    return _violations("domain_imports_no_actors", modules,
                       lambda m, name: m.package in DOMAIN and _top(name) in ("tasks", "dramatiq"))


def forms_stay_plain(modules, facade) -> list[Violation]:
    """Forms import only marshmallow, markupsafe and the standard library."""
    return _violations("forms_stay_plain", modules,
                       lambda m, name: m.package == "forms" and _top(name) not in FORMS_ALLOWED)


def settings_stay_plain(modules, facade) -> list[Violation]:
    """The configuration imports only the standard library: every layer may import it."""
    return _violations("settings_stay_plain", modules,
                       lambda m, name: m.package == "settings" and _top(name) not in SETTINGS_ALLOWED)


def designer_functions_join_engine_and_forms(modules, facade) -> list[Violation]:
    """The designer functions import only the engine, forms and the standard library."""
    return _violations("designer_functions_join_engine_and_forms", modules,
                       lambda m, name: m.package == "designer_functions"
                       and _top(name) not in DESIGNER_FUNCTIONS_ALLOWED)


def environment_read_only_in_settings(modules, facade) -> list[Violation]:
    """Only the settings package reads os.environ (a child process's copy excepted)."""
    found = []
    for m in modules:
        if m.package == "settings" or m.path in ENVIRONMENT_COPIES:
            continue
        found += [Violation("environment_read_only_in_settings", m.path, i.line, f"imports {_spelled(i)}")
                  for i in m.imports if i.module == "os" and i.name in ENVIRONMENT_READS]
        found += [Violation("environment_read_only_in_settings", m.path, node.lineno, f"uses os.{node.attr}")
                  for node in ast.walk(m.tree) if isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT_READS
                  and isinstance(node.value, ast.Name) and node.value.id == "os"]
    return found


def only_cli_imports_cli(modules, facade) -> list[Violation]:
    """Nothing but the command line imports the command line."""
    return _violations("only_cli_imports_cli", modules, lambda m, name: m.package != "cli" and _top(name) == "cli")


def engine_through_the_facade(modules, facade) -> list[Violation]:
    """Outside engine/, only the facade ``engine`` (its ``__all__``) and ``engine.db`` are used."""
    def offends(imported: Import) -> bool:
        if imported.module not in ENGINE_MODULES_ALLOWED:
            return True
        # ``from engine import clock`` takes a facade export; ``from engine import models`` a submodule.
        return imported.module == "engine" and imported.name is not None and imported.name not in facade \
            and f"engine.{imported.name}" not in ENGINE_MODULES_ALLOWED
    found = [Violation("engine_through_the_facade", m.path, i.line, f"imports {_spelled(i)}")
             for m in modules if m.package != "engine"
             for i in m.imports if _top(i.module) == "engine" and offends(i)]
    for m in modules:
        if m.package != "engine":
            found += _attributes_past_the_facade(m, facade)
    return found


def _attributes_past_the_facade(module: Module, facade) -> list[Violation]:
    """``engine.package.stored_media`` after ``import engine``: a submodule reached through the name."""
    names = _names_bound_to_engine(module.tree)
    allowed = facade | {name.split(".")[1] for name in ENGINE_MODULES_ALLOWED if "." in name}
    return [Violation("engine_through_the_facade", module.path, node.lineno, f"uses engine.{node.attr}")
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in names
            and node.attr not in allowed]


def _names_bound_to_engine(tree: ast.Module) -> set[str]:
    """``import engine``, ``import engine as e``, and ``import engine.db`` (which binds ``engine`` too)."""
    return {alias.asname or "engine" for node in ast.walk(tree) if isinstance(node, ast.Import)
            for alias in node.names
            if alias.name == "engine" or (alias.asname is None and _top(alias.name) == "engine")}


def no_eval_or_exec(modules, facade) -> list[Violation]:
    """No module calls eval, exec or compile: designer text goes through the sandbox's evaluator."""
    found = []
    for m in modules:
        for node in ast.walk(m.tree):
            if isinstance(node, ast.Call) and _runs_text(node.func):
                found.append(Violation("no_eval_or_exec", m.path, node.lineno, f"calls {ast.unparse(node.func)}"))
    return found


def _runs_text(func) -> bool:
    if isinstance(func, ast.Name):
        return func.id in RUNS_TEXT
    return (isinstance(func, ast.Attribute) and func.attr in RUNS_TEXT and isinstance(func.value, ast.Name)
            and func.value.id in ("builtins", "__builtins__"))


RULES = {rule.__name__: rule for rule in (
    spiffworkflow_only_in_engine, no_flask_below_web, nothing_below_web_imports_web,
    engine_imports_no_other_package, domain_imports_no_actors, forms_stay_plain, settings_stay_plain,
    designer_functions_join_engine_and_forms, environment_read_only_in_settings, only_cli_imports_cli,
    engine_through_the_facade, no_eval_or_exec)}
