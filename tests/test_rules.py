import pytest

from cchc.rules import RuleError, compile_rule


def test_a_rule_compares_rows_by_item_id() -> None:
    rule = compile_rule("#{3.3.3.2} <= #{3.3.3.1}")
    assert rule.refs == ("3.3.3.2", "3.3.3.1")
    assert rule.evaluate({"3.3.3.2": 5, "3.3.3.1": 7}) is True
    assert rule.evaluate({"3.3.3.2": 8, "3.3.3.1": 7}) is False


def test_arithmetic_functions_and_logic() -> None:
    rule = compile_rule("sum(#{a}, #{b}) + 2 * #{c} == 10 and not #{a} > 5 or abs(-1) == 2")
    assert rule.evaluate({"a": 2, "b": 4, "c": 2}) is True
    assert rule.evaluate({"a": 6, "b": 0, "c": 2}) is False


def test_a_rule_with_a_missing_row_is_not_applicable() -> None:
    assert compile_rule("#{a} <= #{b}").evaluate({"a": 1}) is None
    assert compile_rule("#{a} / #{b} < 1").evaluate({"a": 1, "b": 0}) is None


@pytest.mark.parametrize("expr", ["#{a} <=", "__import__('os')", "#{a}.__class__",
                                  "open('x')", "#{a} <= <= 1"])
def test_anything_outside_the_grammar_is_refused(expr: str) -> None:
    with pytest.raises(RuleError):
        compile_rule(expr)
