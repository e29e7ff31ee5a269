"""Equations as data: one arithmetic expression gives the Decimal function, the text shown
in the trace and on the methodology page, and the spreadsheet formula.

Grammar (a subset of Python expressions): names of parameters/equations, numeric literals,
``+ - * /``, unary minus, parentheses, comparisons, ``if_(cond, a, b)``, ``min(a, b)``,
``max(a, b)`` and ``sum(X)`` (sum over all units i of the per-unit value X).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

_BINOPS: dict[type[ast.operator], tuple[str, int]] = {
    ast.Add: ("+", 1),
    ast.Sub: ("-", 1),
    ast.Mult: ("*", 2),
    ast.Div: ("/", 2),
}
_CMPS: dict[type[ast.cmpop], str] = {
    ast.Eq: "=",
    ast.NotEq: "<>",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_FUNCS = {"if_", "min", "max", "sum"}


class ExpressionError(ValueError):
    """The equation text of a methodology is not in the supported grammar (a programming error)."""


@dataclass(frozen=True)
class Expression:
    """A parsed equation right-hand side."""

    source: str
    tree: ast.expr = field(repr=False, compare=False)

    @classmethod
    def parse(cls, source: str) -> Expression:
        try:
            tree = ast.parse(source, mode="eval").body
        except SyntaxError as exc:
            raise ExpressionError(f"cannot parse equation {source!r}: {exc}") from exc
        _validate(tree, source)
        return cls(source, tree)

    def names(self) -> tuple[str, ...]:
        """Parameter/equation names referenced, in reading order (sum(X) yields X)."""
        seen: dict[str, None] = {}

        def visit(node: ast.AST) -> None:
            if isinstance(node, ast.Name):
                if node.id not in _FUNCS:
                    seen.setdefault(node.id, None)
                return
            for child in ast.iter_child_nodes(node):
                visit(child)

        visit(self.tree)
        return tuple(seen)

    def summed_names(self) -> tuple[str, ...]:
        return tuple(
            node.args[0].id
            for node in ast.walk(self.tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "sum"
            and isinstance(node.args[0], ast.Name)
        )

    def evaluate(self, values: Mapping[str, Decimal], sums: Mapping[str, Decimal] | None = None) -> Decimal:
        """Evaluate with exact Decimal arithmetic. ``sums[X]`` supplies ``sum(X)``."""
        return _eval(self.tree, values, sums or {})

    def render(
        self, name: Callable[[str], str], *, summed: Callable[[str], str] | None = None, style: str = "text"
    ) -> str:
        """Render for humans (style "text": × and symbols) or for a spreadsheet (style "excel")."""
        return _render(self.tree, name, summed or (lambda n: f"Σ_i {name(n)}"), style, 0)


def _validate(node: ast.expr, source: str) -> None:
    for sub in ast.walk(node):
        ok = isinstance(
            sub,
            ast.Name
            | ast.Constant
            | ast.BinOp
            | ast.UnaryOp
            | ast.Call
            | ast.Compare
            | ast.Load
            | ast.operator
            | ast.unaryop
            | ast.cmpop,
        )
        if isinstance(sub, ast.BinOp) and type(sub.op) not in _BINOPS:
            ok = False
        if isinstance(sub, ast.UnaryOp) and not isinstance(sub.op, ast.USub):
            ok = False
        if isinstance(sub, ast.Call) and not (isinstance(sub.func, ast.Name) and sub.func.id in _FUNCS):
            ok = False
        if isinstance(sub, ast.Constant) and not isinstance(sub.value, int | float):
            ok = False
        if isinstance(sub, ast.Compare) and (len(sub.ops) != 1 or type(sub.ops[0]) not in _CMPS):
            ok = False
        if not ok:
            raise ExpressionError(f"unsupported construct {ast.dump(sub)[:60]} in equation {source!r}")


def _const(node: ast.Constant) -> Decimal:
    return Decimal(repr(node.value))


def _eval(node: ast.expr, values: Mapping[str, Decimal], sums: Mapping[str, Decimal]) -> Decimal:
    if isinstance(node, ast.Constant):
        return _const(node)
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        return -_eval(node.operand, values, sums)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, values, sums), _eval(node.right, values, sums)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right
    if isinstance(node, ast.Compare):
        left, right = _eval(node.left, values, sums), _eval(node.comparators[0], values, sums)
        op = type(node.ops[0])
        result = {
            ast.Eq: left == right,
            ast.NotEq: left != right,
            ast.Lt: left < right,
            ast.LtE: left <= right,
            ast.Gt: left > right,
            ast.GtE: left >= right,
        }[op]
        return Decimal(1) if result else Decimal(0)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        fname = node.func.id
        if fname == "sum":
            arg = node.args[0]
            assert isinstance(arg, ast.Name)
            return sums[arg.id]
        args = [_eval(a, values, sums) for a in node.args]
        if fname == "if_":
            return args[1] if args[0] != 0 else args[2]
        return min(args) if fname == "min" else max(args)
    raise ExpressionError(f"cannot evaluate {ast.dump(node)[:60]}")


def _render(
    node: ast.expr,
    name: Callable[[str], str],
    summed: Callable[[str], str],
    style: str,
    parent_prec: int,
    right_side: bool = False,
) -> str:
    text_style = style == "text"
    if isinstance(node, ast.Constant):
        return str(_const(node))
    if isinstance(node, ast.Name):
        return name(node.id)
    if isinstance(node, ast.UnaryOp):
        return "-" + _render(node.operand, name, summed, style, 3)
    if isinstance(node, ast.BinOp):
        symbol, prec = _BINOPS[type(node.op)]
        shown = {"*": " × ", "/": " / ", "+": " + ", "-": " − "}[symbol] if text_style else symbol
        left = _render(node.left, name, summed, style, prec)
        right = _render(node.right, name, summed, style, prec, right_side=True)
        body = f"{left}{shown}{right}"
        needs = prec < parent_prec or (right_side and prec == parent_prec and symbol in "-/")
        return f"({body})" if needs else body
    if isinstance(node, ast.Compare):
        op = _CMPS[type(node.ops[0])]
        left = _render(node.left, name, summed, style, 0)
        return f"{left} {op if not text_style else op.replace('<>', '≠')} " + _render(
            node.comparators[0], name, summed, style, 0
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        fname = node.func.id
        if fname == "sum":
            arg = node.args[0]
            assert isinstance(arg, ast.Name)
            return summed(arg.id)
        args = [_render(a, name, summed, style, 0) for a in node.args]
        if fname == "if_":
            if text_style:
                return f"({args[1]} if {args[0]}, otherwise {args[2]})"
            return f"IF({args[0]},{args[1]},{args[2]})"
        if text_style:
            return f"{fname}({', '.join(args)})"
        return f"{fname.upper()}({','.join(args)})"
    raise ExpressionError(f"cannot render {ast.dump(node)[:60]}")
