"""The restricted evaluator for every piece of designer-written logic.

Designers in many regions and private providers write BPMN, so their text must never run as
Python (SECURITY.md §1). Expressions are checked statically against an AST allowlist and then
evaluated by simpleeval with an explicit function list, a per-type attribute allowlist,
JSON-only names, and size and time bounds. Scripts are a sequence of ``name = expression`` (or
``name += expression``) lines, each evaluated the same way. The same checks run when a package
is validated and again at run time, so a tampered database cannot bring code back in.
"""
from __future__ import annotations

import ast
import time
from functools import lru_cache

import simpleeval

from engine import sandbox_bounds as bounds
from engine.sandbox_functions import DATA_FUNCTIONS, FUNCTIONS, register_data_function  # noqa: F401
from engine.errors import SandboxError

MAX_EXPRESSION_CHARS = 2000
MAX_SCRIPT_LINES = 50
MAX_STRING_LITERAL = 10_000
MAX_NUMBER_LITERAL = 10**15
MAX_EVAL_SECONDS = 0.25  # of this thread's CPU time (see _BoundedEval)
CLOCK_CHECK_EVERY = 32  # nodes between looks at the CPU clock, which costs a system call

ALLOWED_NODES = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Store, ast.BinOp, ast.UnaryOp,
    ast.BoolOp, ast.Compare, ast.IfExp, ast.Call, ast.keyword, ast.Subscript, ast.Slice,
    ast.Attribute, ast.List, ast.Tuple, ast.Dict, ast.ListComp, ast.GeneratorExp,
    ast.comprehension, ast.JoinedStr, ast.FormattedValue,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.USub, ast.UAdd,
    ast.Not, ast.And, ast.Or, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In,
    ast.NotIn, ast.Is, ast.IsNot,
)

# Methods a designer may call, per type. Everything else (and every other type) is denied:
# str.center/zfill/ljust would build huge strings, and no object attribute is ever needed.
ALLOWED_ATTRS = {
    dict: {"get", "keys", "values", "items"},
    str: {"lower", "upper", "strip", "startswith", "endswith", "split"},
    list: {"count", "index"},
}
ALLOWED_METHOD_NAMES = frozenset().union(*ALLOWED_ATTRS.values())


class _BoundedEval(simpleeval.EvalWithCompoundTypes):
    """simpleeval with a time bound, and every value it builds bounded before it is built
    (engine/sandbox_bounds.py): the time check runs between steps, so no one step may be large.

    The bound is on this thread's CPU time, not the wall clock: what it stops is a designer's
    expression that computes too much. A wall-clock bound also failed sound expressions whenever the
    machine was busy (other threads holding the GIL, other processes on the cores), which turned
    load into incidents in residents' programs."""

    def __init__(self, names):
        functions = dict(FUNCTIONS)
        for name, function in DATA_FUNCTIONS.items():
            functions[name] = _bound(function, names)
        for name in names:  # data shadows a helper of the same name (docs/ENGINE.md)
            functions.pop(name, None)
        self._budget = bounds.Budget()
        super().__init__(operators=self._budget.operators(), functions=functions, names=names,
                         allowed_attrs=ALLOWED_ATTRS)
        self.functions.pop("set", None)  # keep results JSON-shaped
        self._deadline = time.thread_time() + MAX_EVAL_SECONDS
        self._until_check = 0

    def _eval(self, node):
        self._until_check -= 1
        if self._until_check <= 0:
            self._until_check = CLOCK_CHECK_EVERY
            if time.thread_time() > self._deadline:
                raise SandboxError("expression took too long")
        return super()._eval(node)

    def _built(self, value):
        return self._budget.charge(bounds.check_cells(value))

    def _eval_formattedvalue(self, node):
        if node.format_spec:
            spec = bounds.check_format_spec(self._eval(node.format_spec))
            return ("{:" + spec + "}").format(self._eval(node.value))
        return self._eval(node.value)

    def _eval_joinedstr(self, node):
        return self._built(super()._eval_joinedstr(node))

    def _eval_list(self, node):
        return self._built(super()._eval_list(node))

    def _eval_tuple(self, node):
        return self._built(super()._eval_tuple(node))

    def _eval_dict(self, node):
        return self._built(super()._eval_dict(node))

    def _eval_comprehension(self, node):
        return self._built(super()._eval_comprehension(node))

    def _eval_call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in self.names:
            # Data never becomes callable: names are JSON values only (_json_names).
            raise SandboxError(f"'{node.func.id}' is data in this instance, so the helper of "
                               "that name cannot be called; rename the data")
        # A helper's result is bounded by its bounded arguments; count it all the same.
        return bounds.check_number(self._built(super()._eval_call(node)))


def _bound(function, names):
    def call(*args, **kwargs):
        return function(dict(names), *args, **kwargs)
    return call


# ---------------------------------------------------------------- static checks


def check_expression(text: str) -> list[str]:
    """Reasons why ``text`` is not an acceptable designer expression (empty when fine)."""
    try:
        _parsed_expression(text)
    except SandboxError as err:
        return [str(err)]
    return []


def check_script(text: str) -> list[str]:
    """Reasons why ``text`` is not an acceptable script (``name = expression`` lines)."""
    try:
        _parsed_script(text)
    except SandboxError as err:
        return [str(err)]
    return []


def forget_parsed_text() -> None:
    """Empty the caches of parsed expressions and scripts, as in a process that has checked
    nothing yet (the benchmark times the live validation both warm and so)."""
    _parsed_expression.cache_clear()
    _parsed_script.cache_clear()


@lru_cache(maxsize=4096)
def _parsed_expression(text: str) -> ast.Expression:
    if not isinstance(text, str) or not text.strip():
        raise SandboxError("the expression is empty")
    if len(text) > MAX_EXPRESSION_CHARS:
        raise SandboxError(f"the expression is longer than {MAX_EXPRESSION_CHARS} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise SandboxError(f"not a valid expression ({err.msg})") from None
    _check_tree(tree)
    return tree


@lru_cache(maxsize=1024)
def _parsed_script(text: str) -> tuple[tuple[str, str, ast.Expression, int], ...]:
    if not isinstance(text, str):
        raise SandboxError("the script is empty")
    try:
        module = ast.parse(text)
    except SyntaxError as err:
        raise SandboxError(f"not a valid script ({err.msg})", err.lineno) from None
    if len(module.body) > MAX_SCRIPT_LINES:
        raise SandboxError(f"a script may have at most {MAX_SCRIPT_LINES} lines")
    steps = []
    for stmt in module.body:
        target, op, value = _assignment_parts(stmt)
        expression = ast.Expression(body=value)
        try:
            _check_tree(expression)
        except SandboxError as err:
            raise SandboxError(str(err), stmt.lineno) from None
        steps.append((target, op, expression, stmt.lineno))
    return tuple(steps)


def _assignment_parts(stmt):
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        target, op = stmt.targets[0].id, "="
    elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and \
            isinstance(stmt.op, (ast.Add, ast.Sub, ast.Mult)):
        target, op = stmt.target.id, type(stmt.op).__name__
    else:
        kind = type(stmt).__name__
        raise SandboxError(
            f"only 'name = expression' lines are allowed in scripts (found {kind})", stmt.lineno)
    _check_name(target, stmt.lineno)  # a helper's name is fine: the value shadows the helper
    return target, op, stmt.value


def _check_tree(tree: ast.AST) -> None:
    # Names and calls first: "'__import__' is not allowed" tells a designer more than ".system".
    for node in sorted(ast.walk(tree), key=lambda n: 0 if isinstance(n, ast.Name) else 1 if isinstance(n, ast.Call) else 2):
        if not isinstance(node, ALLOWED_NODES):
            raise SandboxError(f"{type(node).__name__} is not allowed in designer expressions")
        if isinstance(node, ast.Name):
            _check_name(node.id)
        elif isinstance(node, ast.Attribute):
            _check_attribute(node)
        elif isinstance(node, ast.Call):
            _check_call(node)
        elif isinstance(node, ast.Constant):
            _check_constant(node.value)
        elif isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            _check_comprehension(node)


def _check_name(name: str, line: int | None = None) -> None:
    if name.startswith("_"):
        raise SandboxError(f"names starting with '_' are not allowed ('{name}')", line)


def _check_attribute(node: ast.Attribute) -> None:
    if node.attr.startswith("_") or node.attr not in ALLOWED_METHOD_NAMES:
        raise SandboxError(f"'.{node.attr}' is not allowed")


def _check_call(node: ast.Call) -> None:
    func = node.func
    if isinstance(func, ast.Name):
        if func.id not in FUNCTIONS and func.id not in DATA_FUNCTIONS:
            raise SandboxError(f"'{func.id}' is not an allowed function")
    elif not isinstance(func, ast.Attribute):
        raise SandboxError("only named helper functions may be called")
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        raise SandboxError("* and ** arguments are not allowed")


def _check_constant(value) -> None:
    if isinstance(value, (str, bytes)) and len(value) > MAX_STRING_LITERAL:
        raise SandboxError(f"a text value is longer than {MAX_STRING_LITERAL} characters")
    if isinstance(value, bytes):
        raise SandboxError("byte strings are not allowed")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_NUMBER_LITERAL:
        raise SandboxError("a number is too large")
    if isinstance(value, complex):
        raise SandboxError("complex numbers are not allowed")


def _check_comprehension(node) -> None:
    if len(node.generators) != 1:
        raise SandboxError("a comprehension may have only one 'for'")
    inner = node.generators[0]
    if any(isinstance(n, (ast.ListComp, ast.GeneratorExp)) for n in ast.walk(inner.iter)):
        raise SandboxError("nested comprehensions are not allowed")


# ---------------------------------------------------------------- run time


def evaluate(text: str, names: dict):
    """Evaluate a designer expression against JSON-shaped names."""
    tree = _parsed_expression(text)
    return _run(tree, text, _json_names(names))


def execute(text: str, data: dict) -> None:
    """Run a script: each line assigns one name in ``data``."""
    for target, op, tree, line in _parsed_script(text):
        try:
            value = _run(tree, text, _json_names(data))
        except SandboxError as err:
            raise SandboxError(str(err), line) from None
        data[target] = _combine(data, target, op, value, line)


def _combine(data, target, op, value, line):
    if op == "=":
        return value
    if target not in data:
        raise SandboxError(f"'{target}' has no value yet", line)
    current = data[target]
    operators = bounds.Budget().operators()  # the same bounds as in an expression
    try:
        result = operators[getattr(ast, op)](current, value)
    except TypeError as err:
        raise SandboxError(str(err), line) from None
    except simpleeval.InvalidExpression as err:
        raise SandboxError(f"{type(err).__name__}: {err}", line) from None
    _check_result_size(result)
    return result


def _run(tree, text, names):
    evaluator = _BoundedEval(names)
    evaluator.expr = text
    try:
        result = evaluator._eval(tree.body)
    except SandboxError:
        raise
    except simpleeval.NameNotDefined as err:
        raise SandboxError(f"'{err.name}' has no value") from None
    except (simpleeval.InvalidExpression, ArithmeticError, TypeError, ValueError,
            KeyError, IndexError, AttributeError, RecursionError) as err:
        raise SandboxError(f"{type(err).__name__}: {err}") from None
    _check_result_size(result)
    return result


def _check_result_size(value) -> None:
    """The result is bounded like every value built on the way (sandbox_bounds: one measure, cells)."""
    try:
        bounds.check_cells(value)
    except bounds.TooLarge as err:
        raise SandboxError(f"the result is too large: {err}") from None


def _json_names(data: dict) -> dict:
    """Task data as names, minus anything a designer must not reach."""
    return {k: v for k, v in data.items()
            if isinstance(k, str) and not k.startswith("_") and not callable(v)}
