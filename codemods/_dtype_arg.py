"""Insert a `dtype=` argument right after a call's value argument, keeping the call's layout."""

from __future__ import annotations

import libcst as cst


def insert_after(call: cst.Call, index: int, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """`call` with `keyword=value` inserted after argument `index`, formatted like its neighbours.

    One-line calls get `, dtype=...`; a call with one argument per line gets a new line with
    the same indentation, and a trailing comma stays trailing.
    """
    args = list(call.args)
    before = args[index]
    new_arg = cst.Arg(
        value=value,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    if isinstance(before.comma, cst.Comma):
        comma = before.comma
        if index + 1 < len(args):
            # Another argument follows: the new one goes between, on its own line if `before`
            # ends its line (a trailing comment stays with `before`).
            new_arg = new_arg.with_changes(comma=_without_comment(comma))
        else:
            # `before` has a trailing comma before `)`: the new argument takes over that comma
            # and `before` gets a line break like the one that opened the argument list.
            new_arg = new_arg.with_changes(comma=_without_comment(comma))
            before = before.with_changes(comma=comma.with_changes(
                whitespace_after=_line_break_like(comma.whitespace_after, call)
            ))  # fmt: skip
    else:
        new_arg = new_arg.with_changes(whitespace_after_arg=before.whitespace_after_arg)
        before = before.with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
    args[index : index + 1] = [before, new_arg]
    return call.with_changes(args=args)


def _without_comment(comma: cst.Comma) -> cst.Comma:
    ws = comma.whitespace_after
    if isinstance(ws, cst.ParenthesizedWhitespace):
        ws = ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return comma.with_changes(whitespace_after=ws)


def _line_break_like(
    after: cst.BaseParenthesizableWhitespace, call: cst.Call
) -> cst.BaseParenthesizableWhitespace:
    """Whitespace after `before`'s comma: keep its comment, indent like the first argument."""
    opening = call.whitespace_before_args
    if not isinstance(after, cst.ParenthesizedWhitespace):
        return cst.SimpleWhitespace(" ")
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return after.with_changes(
            indent=opening.indent, last_line=opening.last_line, empty_lines=()
        )
    return cst.SimpleWhitespace(" ")
