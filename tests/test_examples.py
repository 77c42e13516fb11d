"""Every codemod's embedded EXAMPLES, run through the engine: exact output, a second pass changes
nothing, and the cheap prefilter never hides a site the full analysis acts on."""

from __future__ import annotations

import pytest

import codemods
from codemods import Example, Rewrite, TfnpCodemod
from tfnp_migrate.engine import migrate_source
from tfnp_migrate.model import Settings
from tfnp_migrate.verify.cases import apply_flags

CASES = [(cls, example) for cls in codemods.ALL_CODEMODS for example in cls.EXAMPLES]


@pytest.mark.parametrize(
    ("cls", "example"), CASES, ids=[f"{cls.CODE}-{example.name}" for cls, example in CASES]
)
def test_example(cls: type[TfnpCodemod], example: Example) -> None:
    source = example.before if isinstance(example, Rewrite) else example.source
    expected = example.after if isinstance(example, Rewrite) else example.source
    settings = apply_flags(Settings(select=(cls.CODE,)), list(example.flags))
    result = migrate_source(source, settings)
    assert result.error is None
    assert result.new_source == expected
    assert migrate_source(result.new_source, settings).new_source == expected
    assert migrate_source(source, settings, use_prefilter=False).new_source == expected


@pytest.mark.parametrize(
    "cls", [c for c in codemods.ALL_CODEMODS if not c.READS_DECLARATIONS], ids=lambda c: c.CODE
)
def test_examples_cover_rewrites_and_traps(cls: type[TfnpCodemod]) -> None:
    rewrites = [e for e in cls.EXAMPLES if isinstance(e, Rewrite)]
    assert len(rewrites) >= 3 and len(cls.EXAMPLES) - len(rewrites) >= 4
    assert len({e.name for e in cls.EXAMPLES}) == len(cls.EXAMPLES), "example names repeat"
