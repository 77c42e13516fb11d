"""A `np.reshape(...)` / `x.reshape(...)` call taken apart, and the `tf.reshape` built from it."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

_FUNCTION_KEYWORDS = frozenset({"newshape", "shape", "order", "copy"})
_METHOD_KEYWORDS = frozenset({"shape", "order", "copy"})
_ORDERS = ("C", "A", "F")


# operand, the `a` argument (function form only), the shape argument, the order argument
_Parts = tuple[cst.BaseExpression, "cst.Arg | None", cst.Arg, "cst.Arg | None"]


@dataclass(frozen=True)
class ReshapeArgs:
    """A reshape call taken apart. `operand` and `shape` are nodes of the tree they came from."""

    operand: cst.BaseExpression
    operand_arg: cst.Arg | None  # the `a` argument of the function form (keeps its comma)
    shape: cst.Arg
    order: str | None  # "C", "A", "F", None when absent, "?" when not a literal
    last: cst.Arg  # the call's last argument: its comma and whitespace close the new call


def parse(call: cst.Call, method: bool) -> ReshapeArgs | str:
    """Take `call` apart, or say (as a str) why its arguments cannot be rewritten."""
    if not call.args:
        return "no arguments"
    if any(arg.star for arg in call.args):
        return "arguments passed with * or **"
    keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
    allowed = _METHOD_KEYWORDS if method else _FUNCTION_KEYWORDS
    unknown = sorted(set(keywords) - allowed)
    if unknown:
        return f"keyword argument {unknown[0]}= is not one we translate"
    positional = [arg for arg in call.args if arg.keyword is None]
    parsed = _method(call, positional, keywords) if method else _function(positional, keywords)
    if isinstance(parsed, str):
        return parsed
    operand, operand_arg, shape, order_arg = parsed
    order = None if order_arg is None else _order(order_arg.value)
    return ReshapeArgs(operand, operand_arg, shape, order, call.args[-1])


def _function(positional: list[cst.Arg], keywords: dict[str, cst.Arg]) -> _Parts | str:
    shapes = positional[1:2] + [keywords[k] for k in ("newshape", "shape") if k in keywords]
    orders = positional[2:3] + [keywords[k] for k in ("order",) if k in keywords]
    if not positional:
        return "the array is passed by keyword"
    if len(positional) > 3 or len(shapes) != 1 or len(orders) > 1:
        return "unexpected combination of arguments"
    return positional[0].value, positional[0], shapes[0], orders[0] if orders else None


def _method(
    call: cst.Call, positional: list[cst.Arg], keywords: dict[str, cst.Arg]
) -> _Parts | str:
    assert isinstance(call.func, cst.Attribute)
    if positional and "shape" in keywords or not positional and "shape" not in keywords:
        return "unexpected combination of arguments"
    if len(positional) > 1:  # x.reshape(2, 3) means x.reshape((2, 3))
        elements = [cst.Element(a.value, comma=a.comma) for a in positional[:-1]]
        elements.append(cst.Element(positional[-1].value))
        shape = cst.Arg(cst.Tuple(elements))
    else:
        shape = positional[0] if positional else keywords["shape"]
    return call.func.value, None, shape, keywords.get("order")


def _order(value: cst.BaseExpression) -> str:
    if isinstance(value, cst.SimpleString) and value.evaluated_value in _ORDERS:
        return str(value.evaluated_value)
    return "?"


def _int_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, cst.Integer)


def literal_shape(shape: cst.BaseExpression) -> bool:
    """True for an int literal or a tuple/list of them (the `order='F'` rewrite needs one)."""
    if isinstance(shape, (cst.Tuple, cst.List)):
        return all(isinstance(e, cst.Element) and _int_literal(e.value) for e in shape.elements)
    return _int_literal(shape)


def _reversed_shape(shape: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(shape, (cst.Tuple, cst.List)):
        elements = [cst.Element(e.value.deep_clone()) for e in reversed(shape.elements)]
        return shape.with_changes(elements=elements)
    return cst.List([cst.Element(shape.deep_clone())])


def _tf(binding: str, name: str) -> cst.BaseExpression:
    return cst.parse_expression(f"{binding}.{name}")


def build(call: cst.Call, args: ReshapeArgs, binding: str) -> cst.BaseExpression:
    """`tf.reshape(operand, shape)` (or the transpose form for order='F'), built on `call`."""
    shape_value = args.shape.value
    if args.order == "F":
        inner = cst.Call(_tf(binding, "transpose"), [cst.Arg(args.operand)])
        reshaped = cst.Call(
            _tf(binding, "reshape"), [cst.Arg(inner), cst.Arg(_reversed_shape(shape_value))]
        )
        return cst.Call(_tf(binding, "transpose"), [cst.Arg(reshaped)])
    if args.operand_arg is not None:
        operand = args.operand_arg.with_changes(
            comma=args.operand_arg.comma
            if isinstance(args.operand_arg.comma, cst.Comma)
            else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
    else:
        operand = cst.Arg(args.operand, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    # tf.reshape wants a 1-D shape: a bare int works eagerly but fails when traced.
    value = cst.List([cst.Element(shape_value)]) if _int_literal(shape_value) else shape_value
    shape = args.shape.with_changes(
        value=value,
        keyword=None,
        equal=cst.MaybeSentinel.DEFAULT,
        comma=args.last.comma,
        whitespace_after_arg=args.last.whitespace_after_arg,
    )
    return call.with_changes(func=_tf(binding, "reshape"), args=[operand, shape])
