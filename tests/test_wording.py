"""Messages people read: the right article, node kinds in words."""

from __future__ import annotations

import pytest

from tfnp_migrate.wording import kind_words, with_article


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("unknown value", "an unknown value"),
        ("index", "an index"),
        ("float32 tensor", "a float32 tensor"),
        ("ndarray", "an ndarray"),
        ("unique result", "a unique result"),
        ("`x` name", "a `x` name"),
        ("attribute", "an attribute"),
    ],
)
def test_with_article(phrase: str, expected: str) -> None:
    assert with_article(phrase) == expected


def test_kind_words() -> None:
    assert kind_words("SubscriptElement") == "subscript element"
    assert kind_words("Index") == "index"
    assert kind_words("BinaryOperation") == "binary operation"


def test_no_message_of_the_examples_has_a_before_a_vowel() -> None:
    from pathlib import Path

    from tfnp_migrate.engine import migrate_source
    from tfnp_migrate.model import Settings

    root = Path(__file__).resolve().parent
    corpus = sorted((root / "fixtures").rglob("*.in.py"))
    for path in corpus:
        result = migrate_source(path.read_bytes(), Settings(unsafe=True), str(path))
        for text in [c.message for c in result.changes] + [n.message for n in result.notes]:
            for bad in (" a unknown", " a index", " a Index", " a attribute", " a unhashable"):
                assert bad not in text, (path.name, text)
