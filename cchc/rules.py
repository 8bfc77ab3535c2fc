"""A small, safe expression language for form-specific rules.

    #{3.3.3.2} <= #{3.3.3.1}
    #{1.5.2} + #{1.5.3} + #{1.5.4} <= #{1.5.1}
    sum(#{6.2.2}, #{6.2.3}, #{6.2.4}, #{6.2.5}) == #{6.2.1}
    #{I.1.b} <= 2 * #{I.1.a}

Rows are addressed by form item id inside `#{…}`. The grammar (Lark) has numbers, item
references, + - * /, comparisons, `and`/`or`/`not`, and the functions `sum`, `min`, `max`,
`abs`. It compiles to closures over a mapping from item id to value; nothing in it can
reach a Python object. A rule whose references are missing is *not applicable* (None).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr ("or" and_expr)*          -> or_
?and_expr: not_expr ("and" not_expr)*        -> and_
?not_expr: "not" not_expr                    -> not_
         | comparison
?comparison: sum (COMP sum)?                 -> compare
?sum: product (ADDOP product)*               -> arith
?product: atom (MULOP atom)*                 -> arith
?atom: NUMBER                                -> number
     | REF                                   -> ref
     | FUNC "(" or_expr ("," or_expr)* ")"   -> call
     | "-" atom                              -> neg
     | "(" or_expr ")"
COMP: "<=" | ">=" | "==" | "!=" | "<" | ">"
ADDOP: "+" | "-"
MULOP: "*" | "/"
FUNC: "sum" | "min" | "max" | "abs"
REF: /#\{[^}]+\}/
NUMBER: /\d+(\.\d+)?/
%import common.WS
%ignore WS
"""

Env = Mapping[str, float | None]
Fn = Callable[[Env], Any]


class RuleError(ValueError):
    """A rule that does not parse; `column` is where the parser stopped."""

    def __init__(self, expr: str, column: int | None, detail: str) -> None:
        self.expr = expr
        self.column = column
        self.detail = detail
        super().__init__(f"{detail} (cột {column}): {expr}")


class _Missing(Exception):
    pass


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "<=": operator.le, ">=": operator.ge, "==": operator.eq, "!=": operator.ne,
    "<": operator.lt, ">": operator.gt, "+": operator.add, "-": operator.sub,
    "*": operator.mul, "/": operator.truediv,
}
_FUNCS: dict[str, Callable[..., Any]] = {
    "sum": lambda *xs: sum(xs), "min": min, "max": max, "abs": abs,
}


@dataclass(frozen=True)
class Rule:
    expr: str
    refs: tuple[str, ...]
    _fn: Fn

    def evaluate(self, env: Env) -> bool | None:
        """True/False, or None when a referenced row is missing (rule not applicable)."""
        try:
            return bool(self._fn(env))
        except _Missing:
            return None
        except ZeroDivisionError:
            return None


@cache
def _parser() -> Any:
    from lark import Lark

    return Lark(GRAMMAR, parser="lalr")


def compile_rule(expr: str) -> Rule:
    from lark import Token, Tree
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = _parser().parse(expr)
    except UnexpectedInput as exc:
        raise RuleError(expr, getattr(exc, "column", None), "không đọc được biểu thức") from exc
    except LarkError as exc:  # pragma: no cover - other parser failures
        raise RuleError(expr, None, str(exc)) from exc

    refs: list[str] = []

    def build(node: Tree[Token] | Token) -> Fn:
        if isinstance(node, Token):
            raise RuleError(expr, None, f"phần tử lạ {node!r}")
        kind, kids = node.data, node.children
        if kind in ("and_", "or_", "compare", "arith") and len(kids) == 1:
            return build(kids[0])  # an alias keeps single-child nodes; pass them through
        if kind == "number":
            value = float(str(kids[0]))
            return lambda env: value
        if kind == "ref":
            name = str(kids[0])[2:-1].strip()
            refs.append(name)

            def get(env: Env) -> float:
                value = env.get(name)
                if value is None:
                    raise _Missing(name)
                return value

            return get
        if kind == "neg":
            inner = build(kids[0])
            return lambda env: -inner(env)
        if kind == "call":
            func = _FUNCS[str(kids[0])]
            args = [build(k) for k in kids[1:]]
            return lambda env: func(*(a(env) for a in args))
        if kind == "not_":
            inner = build(kids[0])
            return lambda env: not inner(env)
        if kind in ("and_", "or_"):
            parts = [build(k) for k in kids]
            if kind == "and_":
                return lambda env: all(p(env) for p in parts)
            return lambda env: any(p(env) for p in parts)
        if kind in ("compare", "arith"):
            first = build(kids[0])
            steps = [(_OPS[str(kids[i])], build(kids[i + 1])) for i in range(1, len(kids), 2)]

            def run(env: Env) -> Any:
                acc = first(env)
                if kind == "compare":
                    op, right = steps[0]
                    return op(acc, right(env))
                for op, right in steps:
                    acc = op(acc, right(env))
                return acc

            return run
        raise RuleError(expr, None, f"cấu trúc lạ {kind}")

    fn = build(tree)
    return Rule(expr=expr, refs=tuple(refs), _fn=fn)
