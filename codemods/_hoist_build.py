"""TFNP301 tree surgery: the module-level helper and the statement that replaces the group."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from codemods._hoist_plan import Hoist


def helper_def(
    hoist: Hoist, helper: str, group: Sequence[cst.BaseStatement], blank_lines: int
) -> cst.FunctionDef:
    """`def helper(params): <group>; return name`, with the group's comments."""
    first = group[0]
    assert isinstance(first, cst.SimpleStatementLine)  # groups are statement lines
    comments = [line for line in first.leading_lines if line.comment is not None]
    body = [first.with_changes(leading_lines=comments), *group[1:]]
    body.append(cst.SimpleStatementLine([cst.Return(cst.Name(hoist.name))]))
    params = cst.Parameters([cst.Param(cst.Name(p)) for p in hoist.params])
    return cst.FunctionDef(
        name=cst.Name(helper),
        params=params,
        body=cst.IndentedBlock(body),
        leading_lines=[cst.EmptyLine()] * blank_lines,
    )


def replacement(hoist: Hoist, helper: str, first: cst.CSTNode) -> cst.SimpleStatementLine:
    """`name = helper(params)`, or wrapped in the conversion every use applied."""
    call: cst.BaseExpression = cst.Call(
        cst.Name(helper), [cst.Arg(cst.Name(p)) for p in hoist.params]
    )
    if hoist.wrap is not None:
        call = cst.Call(hoist.wrap.func, [cst.Arg(call), *hoist.wrap.args[1:]])
    assert isinstance(first, cst.SimpleStatementLine)
    blank = [line for line in first.leading_lines if line.comment is None]
    assign = cst.Assign([cst.AssignTarget(cst.Name(hoist.name))], call)
    return cst.SimpleStatementLine([assign], leading_lines=blank)


def blank_lines_before(stmt: cst.CSTNode) -> int:
    """How many blank lines precede `stmt` before its first comment (at least 2 at top level)."""
    count = 0
    for line in getattr(stmt, "leading_lines", ()):
        if line.comment is not None:
            break
        count += 1
    return max(count, 2)
