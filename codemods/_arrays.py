"""Small builders the array codemods share."""

from __future__ import annotations

import libcst as cst

_ATOMS = (cst.Name, cst.Call, cst.Attribute, cst.Subscript)


def ravelled(array: cst.BaseExpression) -> cst.BaseExpression:
    """`array.ravel()`, parenthesising `array` unless it is a name, call, attribute or index."""
    if not isinstance(array, _ATOMS) and not array.lpar:
        array = array.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return cst.Call(cst.Attribute(array, cst.Name("ravel")))
