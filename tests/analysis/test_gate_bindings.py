"""The `ast` gate against LibCST on generated programs whose names are bound many ways.

`may_be_tensor` drops a name use when one binding of the scope it resolves to is never a
tensor (the precise analysis wants all bindings to agree). That rule leans on Python's
scoping: module, function, closure and class bodies, parameters of traced and untraced
functions, self-updates, `global`. Programs are generated from those pieces, and the engine
must give the same result with the gate and without it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings

VALUES = (  # tensors are the likelier values, so that most programs have findings to keep
    "tf.ones([2, 3])",
    "tf.ones([2, 3])",
    "tf.ones([2, 3])",
    "tf.constant([1.0, 2.0])",
    "tf.constant([1.0, 2.0])",
    "tf.Variable([1.0])",
    "np.zeros((2, 3))",
    "[1.0, 2.0]",
    "x + 1",
    "x.numpy()",
    "tf.reshape(x, [-1])",
    "np.array(x)",
    "y",
    "y if c else x",
    "x[0]",
)
USES = ("np.sum(x)", "np.transpose(y)", "np.reshape(x, [-1])", "np.array(x)", "x.sum()")

_value = st.sampled_from(VALUES)
_target = st.sampled_from(("x", "y"))


@st.composite
def _statement(draw: st.DrawFn) -> str:
    target, value = draw(_target), draw(_value)
    form = draw(st.sampled_from(("plain", "plain", "plain", "if", "for", "aug", "walrus")))
    if form == "if":
        return f"if c:\n    {target} = {value}"
    if form == "for":
        return f"for _ in range(2):\n    {target} = {value}"
    if form == "aug":
        return f"{target} += 1"
    if form == "walrus":
        return f"({target} := {value})"
    return f"{target} = {value}"


def _block(statements: list[str], indent: str) -> str:
    lines = [line for s in statements for line in s.splitlines()] or ["pass"]
    return "".join(f"{indent}{line}\n" for line in lines)


@st.composite
def programs(draw: st.DrawFn) -> str:
    statements = st.lists(_statement(), max_size=3)
    use = lambda: draw(st.sampled_from(USES))  # noqa: E731
    decorator = draw(st.sampled_from(("", "@tf.function\n", "@tf.function\n")))
    params = draw(st.sampled_from(("", "x", "x, y", "y")))
    declares = draw(st.sampled_from(("", "global x\n")))
    text = "import numpy as np\nimport tensorflow as tf\n\n"
    text += _block(draw(statements), "")
    text += "\n\nclass A:\n" + _block(draw(statements), "    ") + f"    z = {use()}\n"
    text += f"\n\n{decorator}def f({params}):\n"
    text += _block([declares.strip()] if declares else [], "    ")
    text += _block(draw(statements), "    ")
    text += f"\n    def g({draw(st.sampled_from(('', 'x')))}):\n"
    text += _block(draw(statements), "        ")
    text += f"        return {use()}\n\n    return {use()}, g\n\n\n"
    text += _block(draw(statements), "") + f"z = {use()}\n"
    return text


@settings(
    max_examples=int(os.environ.get("TFNP_FUZZ_EXAMPLES", "40")),
    derandomize="TFNP_FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(source=programs(), unsafe=st.booleans())
def test_gate_keeps_every_finding_whatever_the_bindings(source: str, unsafe: bool) -> None:
    flags = Settings(select=("TFNP1",), unsafe=unsafe)
    gated = migrate_source(source, flags)
    full = migrate_source(source, flags, use_prefilter=False)
    assert full.error is None, full.error
    assert (gated.new_source, gated.changes) == (full.new_source, full.changes)
