"""Small helpers for messages people read: articles, and node kinds in plain words."""

from __future__ import annotations

import re

# Words that start with a vowel letter but a consonant sound, and the reverse.
_CONSONANT_SOUND = ("uni", "use", "usu", "one", "eu")
_VOWEL_SOUND = ("hour", "honest", "ndarray")


def with_article(phrase: str) -> str:
    """`phrase` with its indefinite article: "an unknown value", "a float32 tensor"."""
    word = phrase.lstrip("`'\"(").lower()
    vowel = word[:1] in "aeiou" and not word.startswith(_CONSONANT_SOUND)
    if word.startswith(_VOWEL_SOUND):
        vowel = True
    return f"{'an' if vowel else 'a'} {phrase}"


def kind_words(class_name: str) -> str:
    """A LibCST or ast class name in words: "SubscriptElement" -> "subscript element"."""
    return " ".join(part.lower() for part in re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", class_name))
