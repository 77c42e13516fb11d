"""Shared pytest options: `--update-fixtures` rewrites the expected `.out.py` files."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-fixtures",
        action="store_true",
        default=False,
        help="rewrite tests/fixtures/*/*.out.py from the codemods' output (review with git diff)",
    )


@pytest.fixture(scope="session")
def update_fixtures(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite expected outputs instead of comparing with them."""
    return bool(request.config.getoption("--update-fixtures"))
