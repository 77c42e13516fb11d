"""Is an expression a tf.data.Dataset: table, and the cost of long rebinding chains."""

from __future__ import annotations

import pytest

from tests.analysis.analysis_snippets import analyse
from tfnp_migrate.analysis import datasets

HEAD = "import tensorflow as tf\nimport numpy as np\n"


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("ds = tf.data.Dataset.range(3)\nds", True),
        ("ds = tf.data.Dataset.range(3).map(f).batch(2)\nds", True),
        ("ds = tf.data.Dataset.range(3)\nds = ds.map(f)\nds = ds.batch(2)\nds", True),
        ("ds = tf.data.Dataset.range(3)\nds = make()\nds", False),  # one binding is unknown
        ("ds = ds.map(f)\nds", False),  # only a self-update: nothing makes it a dataset
        ("a = tf.data.Dataset.range(3)\nb = a.map(f)\na = b.batch(2)\nb", True),  # a cycle
        ("a = tf.data.Dataset.range(3)\nb = a.map(f)\na = b.batch(2)\na = np.ones(3)\nb", False),
        ("def f():\n    ds = tf.data.Dataset.range(3)\n    return ds\nds = 1\nds", False),
    ],
)
def test_is_dataset(src: str, expected: bool) -> None:
    snippet = analyse(HEAD + src)
    assert snippet.analysis.is_dataset(snippet.module.body[-1].body[0].value) is expected


def _chain(n: int, last: str) -> str:
    """A pipeline builder rebinding `ds` n times, each from the one before."""
    lines = [f"ds = ds.{m}(f)" for m in ("map", "filter", "batch", "prefetch") * (n // 4)]
    return "ds = tf.data.Dataset.range(3)\n" + "\n".join(lines) + f"\n{last}\nds"


@pytest.mark.parametrize(("last", "expected"), [("ds = ds.cache()", True), ("ds = g(ds)", False)])
def test_long_rebinding_chains_are_linear(
    last: str, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Holding the assumption per use made this exponential: 8 rebindings took 18 s of CPU.
    snippet = analyse(HEAD + _chain(8, last))
    calls = 0
    bound_value = datasets.DatasetCheck._bound_value

    def counting(self: datasets.DatasetCheck, assignment: object) -> bool:
        nonlocal calls
        calls += 1
        return bound_value(self, assignment)  # type: ignore[arg-type]

    monkeypatch.setattr(datasets.DatasetCheck, "_bound_value", counting)
    assert snippet.analysis.is_dataset(snippet.module.body[-1].body[0].value) is expected
    assert calls <= 2 * 10  # each of the 10 bindings looked at once per set of bindings
    assert snippet.analysis.is_dataset(snippet.module.body[-1].body[0].value) is expected
    assert calls <= 2 * 10  # and the second question is answered from what is settled
