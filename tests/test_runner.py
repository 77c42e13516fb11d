"""Discovery (skipped folders, .gitignore, --exclude, links) and the runner's file handling."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from toy_codemods import toy_registry  # noqa: F401  (fixture)

from tfnp_migrate import runner
from tfnp_migrate.discovery import is_ignored, parse_gitignore
from tfnp_migrate.model import Settings


def make(root: Path, *names: str, data: str = "x = 1\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data)


def found(root: Path, *paths: str, exclude: tuple[str, ...] = ()) -> list[str]:
    files, missing = runner.collect([str(root / p) for p in paths or ("",)], exclude)
    assert not missing
    return sorted(os.path.relpath(f, root).replace(os.sep, "/") for f in files)


def test_walk_skips_tool_build_and_virtualenv_folders(tmp_path: Path) -> None:
    make(tmp_path, "keep.py", "pkg/mod.py", "pkg/notes.txt", ".git/hooks/h.py", ".hg/x.py",
         "lib/site-packages/dep.py", "pkg/__pycache__/mod.py", "build/lib/mod.py", "dist/m.py",
         ".tox/py/x.py", ".nox/x.py", "node_modules/x.py", "pkg.egg-info/x.py",
         "myenv/pyvenv.cfg", "myenv/lib/x.py", "env/x.py", ".venv/x.py")  # fmt: skip
    # `env` and `.venv` without pyvenv.cfg are ordinary folders.
    assert found(tmp_path) == [".venv/x.py", "env/x.py", "keep.py", "pkg/mod.py"]


def test_explicit_root_is_walked_even_with_a_skipped_name(tmp_path: Path) -> None:
    make(tmp_path, "build/a.py", "build/dist/b.py")
    assert found(tmp_path, "build") == ["build/a.py"]


def test_gitignore_in_the_tree_and_above_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    make(
        tmp_path, "src/a.py", "src/gen/b.py", "src/c_pb2.py", "src/sub/keep_pb2.py", "src/sub/d.py"
    )
    (tmp_path / ".gitignore").write_text("*_pb2.py\n/src/gen/\n")
    (tmp_path / "src/sub/.gitignore").write_text("!keep_pb2.py\nd.py\n")
    assert found(tmp_path, "src") == ["src/a.py", "src/sub/keep_pb2.py"]


def test_gitignore_above_a_non_repository_is_not_read(tmp_path: Path) -> None:
    make(tmp_path, "proj/a.py")
    (tmp_path / ".gitignore").write_text("a.py\n")
    assert found(tmp_path, "proj") == ["proj/a.py"]


def test_named_files_are_taken_even_if_ignored_or_excluded(tmp_path: Path) -> None:
    make(tmp_path, "gen.py", "data.txt")
    (tmp_path / ".gitignore").write_text("gen.py\n")
    assert found(tmp_path) == []
    assert found(tmp_path, "gen.py", "data.txt", exclude=("gen.py",)) == ["data.txt", "gen.py"]


@pytest.mark.parametrize(
    ("globs", "expected"),
    [
        pytest.param(("tests",), ["src/a.py", "src/a_test.py"], id="folder name"),
        pytest.param(("*_test.py",), ["src/a.py", "tests/t.py"], id="file glob"),
        pytest.param(("src/*",), ["tests/t.py"], id="relative path glob"),
    ],
)
def test_exclude_globs(tmp_path: Path, globs: tuple[str, ...], expected: list[str]) -> None:
    make(tmp_path, "src/a.py", "src/a_test.py", "tests/t.py")
    assert found(tmp_path, exclude=globs) == expected


def test_links_to_folders_are_not_followed_and_files_are_taken_once(tmp_path: Path) -> None:
    make(tmp_path, "outside/secret.py", "tree/a.py")
    (tmp_path / "tree/out").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "tree/alias.py").symlink_to(tmp_path / "tree/a.py")
    (tmp_path / "tree/far.py").symlink_to(tmp_path / "outside/secret.py")
    assert found(tmp_path / "tree") == ["a.py"]  # alias.py is the same file; far.py leaves


def test_missing_paths_are_returned_apart(tmp_path: Path) -> None:
    make(tmp_path, "a.py")
    files, missing = runner.collect([str(tmp_path / "a.py"), str(tmp_path / "nope")])
    assert files == [str(tmp_path / "a.py")] and missing == [str(tmp_path / "nope")]


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "expected"),
    [
        pytest.param("gen.py", "a/b/gen.py", False, True, id="a name matches at any depth"),
        pytest.param("gen.py", "a/gen.py.bak", False, False, id="a name matches whole names only"),
        pytest.param("*.py", "a/b.py", False, True, id="star extension"),
        pytest.param("*.py", "a/b.pyc", False, False, id="star extension is exact"),
        pytest.param("out/", "a/out", True, True, id="trailing slash matches folders"),
        pytest.param("out/", "a/out", False, False, id="trailing slash never matches files"),
        pytest.param("/top.py", "top.py", False, True, id="leading slash anchors"),
        pytest.param("/top.py", "a/top.py", False, False, id="anchored is not at any depth"),
        pytest.param("a/*.py", "a/x.py", False, True, id="a slash anchors too"),
        pytest.param("a/*.py", "a/b/x.py", False, False, id="star never crosses a slash"),
        pytest.param("**/gen", "x/y/gen", True, True, id="leading double star"),
        pytest.param("**/gen", "gen", True, True, id="leading double star at the top"),
        pytest.param("a/**/z.py", "a/z.py", False, True, id="inner double star, zero folders"),
        pytest.param("a/**/z.py", "a/b/c/z.py", False, True, id="inner double star, many folders"),
        pytest.param("a/**", "a/b/c.py", False, True, id="trailing double star"),
        pytest.param("fil?.py", "file.py", False, True, id="question mark"),
        pytest.param("[ab].py", "b.py", False, True, id="character class"),
        pytest.param("[!ab].py", "b.py", False, False, id="negated character class"),
        pytest.param("# comment", "# comment", False, False, id="comment line"),
        pytest.param("\\#hash.py", "#hash.py", False, True, id="escaped hash"),
    ],
)
def test_gitignore_patterns(pattern: str, path: str, is_dir: bool, expected: bool) -> None:
    rules = parse_gitignore(pattern + "\n", "/r")
    assert is_ignored("/r/" + path, is_dir, rules) is expected


def test_gitignore_last_match_wins_and_negation_reincludes() -> None:
    rules = parse_gitignore("*.py\n!keep.py\n", "/r")
    assert is_ignored("/r/a.py", False, rules)
    assert not is_ignored("/r/keep.py", False, rules)
    rules = parse_gitignore("!keep.py\n*.py\n", "/r")
    assert is_ignored("/r/keep.py", False, rules)


def test_gitignore_rules_only_apply_below_their_folder() -> None:
    rules = parse_gitignore("/a.py\n", "/r/sub")
    assert is_ignored("/r/sub/a.py", False, rules)
    assert not is_ignored("/r/a.py", False, rules)


@pytest.mark.usefixtures("toy_registry")
def test_runner_results_drop_the_text_of_unchanged_files(tmp_path: Path) -> None:
    make(tmp_path, "same.py", data="x = other()\n")
    make(tmp_path, "new.py", data="x = old_call()\n")
    results = list(
        runner.run([str(tmp_path / "same.py"), str(tmp_path / "new.py")], Settings(), False)
    )
    assert (results[0].source, results[0].changed) == ("", False)
    assert (results[1].source, results[1].new_source) == ("x = old_call()\n", "x = new_call()\n")


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    make(tmp_path, "a.py", data="edited meanwhile\n")
    with pytest.raises(OSError, match="changed on disk"):
        runner.atomic_write(str(tmp_path / "a.py"), b"new\n", b"x = 1\n")
    assert (tmp_path / "a.py").read_text() == "edited meanwhile\n"


def test_atomic_write_leaves_no_temporary_file_behind_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, "a.py")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        runner.atomic_write(str(tmp_path / "a.py"), b"new\n", b"x = 1\n")
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]
    assert (tmp_path / "a.py").read_text() == "x = 1\n"


def test_real_codemods_on_the_examples_settle_after_one_fix(tmp_path: Path) -> None:
    """End to end with the registered codemods: fix, then a second fix changes nothing."""
    import shutil

    from click.testing import CliRunner

    from tfnp_migrate.cli import main

    examples = Path(__file__).resolve().parent.parent / "examples"
    if not any(examples.glob("*.py")):
        pytest.skip("no examples yet")
    shutil.copytree(examples, tmp_path / "ex")
    first = CliRunner().invoke(main, ["fix", "-j", "2", "--format", "json", str(tmp_path / "ex")])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["summary"]["files_changed"] > 0
    second = CliRunner().invoke(main, ["fix", "--format", "json", str(tmp_path / "ex")])
    assert json.loads(second.output)["summary"]["files_changed"] == 0
    for path in (tmp_path / "ex").glob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_git_info_exclude_applies_and_nothing_above_the_work_tree(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")  # above the work tree: must not apply
    repo = tmp_path / "repo"
    make(repo, "a.py", "local_only.py", "sub/b.py")
    (repo / ".git/info").mkdir(parents=True)
    (repo / ".git/info/exclude").write_text("local_only.py\n")
    assert found(repo) == ["a.py", "sub/b.py"]
    assert found(repo, "sub") == ["sub/b.py"]


@pytest.mark.usefixtures("toy_registry")
def test_a_dead_worker_costs_its_file_alone(tmp_path: Path) -> None:
    for i in range(10):
        make(tmp_path, f"m{i}.py", data="old_call()\n")

    def fragile(path, data, settings):  # type: ignore[no-untyped-def]
        if path.endswith("m5.py"):
            os._exit(1)  # a worker that dies on one file
        return real(path, data, settings)

    real = runner._analyse
    files = sorted(str(p) for p in tmp_path.iterdir())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(runner, "_analyse", fragile)  # forked workers inherit the patch
        results = list(runner.run(files, Settings(), True, jobs=2))
    assert [Path(r.path).name for r in results] == [Path(f).name for f in files]
    assert [Path(r.path).name for r in results if r.error] == ["m5.py"]
    assert "exited with code 1" in (results[5].error or "")
    for path in files:  # written exactly when reported changed
        written = Path(path).read_text() == "new_call()\n"
        assert written == (not path.endswith("m5.py"))
