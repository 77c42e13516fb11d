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


_REPORT = pytest.StashKey[object]()


@pytest.fixture(scope="session")
def keep_verify_report(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Call with the session's VerifyReport so the terminal summary can show outcome counts."""

    def keep(report: object) -> None:
        request.config.stash[_REPORT] = report

    return keep


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    report = config.stash.get(_REPORT, None)
    if report is not None:
        counts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(report.counts.items()))
        terminalreporter.write_line(
            f"fixtures executed: {len(report.cases)} cases: {counts} ({report.seconds:.1f} s)"
        )


@pytest.fixture(autouse=True)
def _no_result_cache(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs read and write no result cache (toy registries would share entries
    with the real codemods): only tests marked `uses_cache` get the real one."""
    if request.node.get_closest_marker("uses_cache") is None:
        from tfnp_migrate import cache

        monkeypatch.setattr(cache.Cache, "get", lambda self, *a: None)
        monkeypatch.setattr(cache.Cache, "put", lambda self, *a: None)
