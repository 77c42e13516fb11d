"""The CLI end to end on real temporary folders, with the toy codemods of `toy_codemods.py`:
exit codes, what is written and what is not, encodings, bad input, stdin, JSON, selection."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from toy_codemods import toy_registry  # noqa: F401  (fixture)

from tfnp_migrate import __version__
from tfnp_migrate.cli import main

pytestmark = pytest.mark.usefixtures("toy_registry")

CLEAN = b"x = other(1)\n"
FIXABLE = b"x = old_call(1)\n"
FIXED = b"x = new_call(1)\n"


def cli(*args: str, input: bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def tree(root: Path, files: dict[str, bytes]) -> dict[Path, tuple[bytes, int]]:
    """Write `files` below `root` with an old mtime; return each path's (bytes, mtime_ns)."""
    state = {}
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, ns=(10**18, 10**18))
        state[path] = (data, path.stat().st_mtime_ns)
    return state


def snapshot(paths) -> dict[Path, tuple[bytes, int]]:  # type: ignore[no-untyped-def]
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}


@pytest.mark.parametrize(
    ("source", "mode", "expected"),
    [
        pytest.param(CLEAN, "check", 0, id="check on clean code exits 0"),
        pytest.param(FIXABLE, "check", 1, id="check exits 1 when a file would change"),
        pytest.param(b"risky()\n", "check", 1, id="check exits 1 on a held-back unsafe change"),
        pytest.param(b"manual_thing()\n", "check", 1, id="check exits 1 on a finding for a human"),
        pytest.param(b"skip_me()\n", "check", 0, id="a note alone is no finding"),
        pytest.param(FIXABLE, "diff", 0, id="diff exits 0 when it shows changes"),
        pytest.param(FIXABLE, "fix", 0, id="fix exits 0 after fixing"),
        pytest.param(b"risky()\n", "fix", 0, id="fix exits 0 while holding back"),
        pytest.param(b"def (:\n", "check", 2, id="unparsable file exits 2"),
        pytest.param(b"def (:\n", "fix", 2, id="fix of an unparsable file exits 2"),
    ],
)
def test_exit_codes(tmp_path: Path, source: bytes, mode: str, expected: int) -> None:
    tree(tmp_path, {"a.py": source})
    assert cli(mode, tmp_path).exit_code == expected


@pytest.mark.parametrize("mode", ["check", "diff"])
def test_check_and_diff_never_write(tmp_path: Path, mode: str) -> None:
    before = tree(tmp_path, {"a.py": FIXABLE, "b.py": b"risky()\n", "c.py": CLEAN})
    result = cli(mode, tmp_path, "--unsafe")
    assert result.exit_code == (1 if mode == "check" else 0)
    assert snapshot(before) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py", "c.py"]


def test_diff_prints_a_unified_diff_and_the_change(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": FIXABLE})
    out = cli("diff", tmp_path).output
    path = f"{tmp_path}/a.py"
    assert f"--- a/{path}\n+++ b/{path}\n" in out
    assert "-x = old_call(1)\n+x = new_call(1)\n" in out
    assert f"{path}:1:5: TFNP901 [safe] old_call -> new_call (would apply)" in out
    assert "1 file would change, 1 change to apply" in out


def test_fix_writes_only_changed_files_atomically(tmp_path: Path) -> None:
    state = tree(tmp_path, {"a.py": FIXABLE, "pkg/b.py": CLEAN})
    inode = (tmp_path / "a.py").stat().st_ino
    result = cli("fix", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.py").read_bytes() == FIXED
    # A new inode shows the file was replaced by a rename, not rewritten in place.
    assert (tmp_path / "a.py").stat().st_ino != inode
    assert snapshot([tmp_path / "pkg/b.py"]) == {
        tmp_path / "pkg/b.py": state[tmp_path / "pkg/b.py"]
    }
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.py", "b.py"]
    assert "1 file changed, 1 change applied" in result.output
    assert cli("check", tmp_path).exit_code == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"a = 1\r\nx = old_call(1)\r\n", b"a = 1\r\nx = new_call(1)\r\n", id="CRLF"),
        pytest.param(
            b"\xef\xbb\xbfx = old_call('\xc3\xa9')\n",
            b"\xef\xbb\xbfx = new_call('\xc3\xa9')\n",
            id="BOM",
        ),
        pytest.param(
            b"# -*- coding: latin-1 -*-\nx = old_call('\xe9')\n",
            b"# -*- coding: latin-1 -*-\nx = new_call('\xe9')\n",
            id="latin-1 cookie",
        ),
    ],
)
def test_fix_keeps_encoding_and_line_endings(tmp_path: Path, data: bytes, expected: bytes) -> None:
    tree(tmp_path, {"a.py": data})
    assert cli("fix", tmp_path / "a.py").exit_code == 0
    assert (tmp_path / "a.py").read_bytes() == expected


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    tree(tmp_path, {"run.py": FIXABLE})
    os.chmod(tmp_path / "run.py", 0o751)
    assert cli("fix", tmp_path).exit_code == 0
    assert (tmp_path / "run.py").read_bytes() == FIXED
    assert stat.S_IMODE((tmp_path / "run.py").stat().st_mode) == 0o751


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        pytest.param(b"x = old_call(\n", "cannot parse", id="unparsable"),
        pytest.param(b"x = old_call('\xff\xfe')\n", "cannot decode", id="undecodable bytes"),
        pytest.param(b"# coding: no-such-codec\nold_call()\n", "cannot decode", id="unknown codec"),
    ],
)
def test_bad_file_is_reported_untouched_and_the_rest_fixed(
    tmp_path: Path, bad: bytes, why: str
) -> None:
    before = tree(tmp_path, {"bad.py": bad, "good.py": FIXABLE})
    result = cli("fix", tmp_path)
    assert result.exit_code == 2
    assert snapshot([tmp_path / "bad.py"]) == {tmp_path / "bad.py": before[tmp_path / "bad.py"]}
    assert (tmp_path / "good.py").read_bytes() == FIXED
    assert f"failed: {tmp_path}/bad.py: {why}" in result.output
    assert "1 file failed" in result.output


def test_read_only_file_is_left_alone_and_reported(tmp_path: Path) -> None:
    tree(tmp_path, {"ro.py": FIXABLE, "rw.py": FIXABLE})
    os.chmod(tmp_path / "ro.py", 0o444)
    result = cli("fix", tmp_path, "--format", "json")
    assert result.exit_code == 2
    assert (tmp_path / "ro.py").read_bytes() == FIXABLE
    assert (tmp_path / "rw.py").read_bytes() == FIXED
    doc = json.loads(result.output)
    ro = next(f for f in doc["files"] if f["path"].endswith("ro.py"))
    assert "read-only" in ro["error"] and ro["changed"] is False
    applied = {c["path"].rsplit("/", 1)[1]: c["applied"] for c in doc["changes"]}
    assert applied == {"ro.py": False, "rw.py": True}


def test_missing_path_is_reported_and_the_rest_processed(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": FIXABLE})
    result = cli("fix", tmp_path / "nope.py", tmp_path / "a.py")
    assert result.exit_code == 2
    assert f"failed: {tmp_path}/nope.py: no such file or directory" in result.output
    assert (tmp_path / "a.py").read_bytes() == FIXED


def test_fix_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    tree(tmp_path, {"real.py": FIXABLE})
    (tmp_path / "link.py").symlink_to(tmp_path / "real.py")
    assert cli("fix", tmp_path / "link.py").exit_code == 0
    assert (tmp_path / "link.py").is_symlink()
    assert (tmp_path / "real.py").read_bytes() == FIXED


def test_stdin_fix_writes_the_result_to_stdout() -> None:
    result = CliRunner().invoke(main, ["fix", "-"], input=FIXABLE)
    assert result.exit_code == 0
    assert result.stdout_bytes == FIXED
    assert "1 change applied" in result.stderr


@pytest.mark.parametrize(
    "source", [pytest.param(CLEAN, id="unchanged"), pytest.param(b"def (:\n", id="unparsable")]
)
def test_stdin_fix_passes_other_input_through(source: bytes) -> None:
    result = CliRunner().invoke(main, ["fix", "-"], input=source)
    assert result.stdout_bytes == source


def test_stdin_check_and_diff() -> None:
    assert cli("check", "-", input=FIXABLE).exit_code == 1
    assert cli("check", "-", input=CLEAN).exit_code == 0
    assert "+x = new_call(1)" in cli("diff", "-", input=FIXABLE).output


def test_json_output_schema(tmp_path: Path) -> None:
    tree(
        tmp_path,
        {"a.py": b"old_call()\nrisky()\nmanual_thing()\n", "b.py": CLEAN, "c.py": b"def (:\n"},
    )
    result = cli("check", tmp_path, "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.output)
    assert set(doc) == {"version", "mode", "files", "changes", "silenced", "unused_noqa", "summary"}
    assert doc["version"] == __version__ and doc["mode"] == "check"
    assert [(Path(f["path"]).name, f["changed"], f["error"] is not None) for f in doc["files"]] == [
        ("a.py", True, False), ("b.py", False, False), ("c.py", False, True)
    ]  # fmt: skip
    assert doc["changes"][1] == {
        "path": f"{tmp_path}/a.py", "line": 2, "column": 1, "code": "TFNP901",
        "message": "risky -> careful", "safety": "unsafe", "applied": False,
    }  # fmt: skip
    assert [c["safety"] for c in doc["changes"]] == ["safe", "unsafe", "manual"]
    assert not any(c["applied"] for c in doc["changes"])  # check never writes
    assert doc["summary"] == {
        "files": 3, "files_changed": 1, "files_failed": 1, "applied": 0,
        "held_back": 1, "manual": 1, "fixable": 1,
    }  # fmt: skip


def test_unsafe_applies_held_back_changes(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": b"risky()\n"})
    held = cli("fix", tmp_path)
    assert "(held back: rerun with --unsafe)" in held.output
    assert "1 held back (apply with --unsafe)" in held.output
    assert (tmp_path / "a.py").read_bytes() == b"risky()\n"
    assert cli("fix", tmp_path, "--unsafe").exit_code == 0
    assert (tmp_path / "a.py").read_bytes() == b"careful()\n"


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        pytest.param([], b"new_call()\nmodern()\n", id="default runs every codemod"),
        pytest.param(["--select", "TFNP9"], b"new_call()\nlegacy()\n", id="select a family prefix"),
        pytest.param(
            ["--select", "tfnp811"], b"old_call()\nmodern()\n", id="select a code, any case"
        ),
        pytest.param(["--ignore", "TFNP8"], b"new_call()\nlegacy()\n", id="ignore a family prefix"),
        pytest.param(
            ["--select", "TFNP8,TFNP9", "--ignore", "TFNP901"],
            b"old_call()\nmodern()\n",
            id="comma list and ignore win",
        ),
        pytest.param(
            ["--select", "TFNP8", "--select", "TFNP9"], b"new_call()\nmodern()\n", id="repeatable"
        ),
    ],
)
def test_select_and_ignore(tmp_path: Path, flags: list[str], expected: bytes) -> None:
    tree(tmp_path, {"a.py": b"old_call()\nlegacy()\n"})
    assert cli("fix", tmp_path, *flags).exit_code == 0
    assert (tmp_path / "a.py").read_bytes() == expected


@pytest.mark.parametrize("code", ["XYZ1", "TFNP1234", "TFNP777"])
def test_bad_or_unknown_codes_are_usage_errors(tmp_path: Path, code: str) -> None:
    tree(tmp_path, {"a.py": FIXABLE})
    assert cli("fix", tmp_path, "--select", code).exit_code == 2
    assert (tmp_path / "a.py").read_bytes() == FIXABLE


def test_parallel_gives_the_same_result_as_serial(tmp_path: Path) -> None:
    files = {f"m{i:02}.py": (FIXABLE if i % 3 else CLEAN) for i in range(24)}
    files["bad.py"] = b"def (:\n"
    tree(tmp_path / "one", files)
    tree(tmp_path / "two", files)
    serial = cli("fix", tmp_path / "one", "-j", "1", "--format", "json")
    parallel = cli("fix", tmp_path / "two", "-j", "2", "--format", "json")
    assert serial.exit_code == parallel.exit_code == 2
    assert serial.output.replace("/one/", "/two/") == parallel.output
    assert [p.read_bytes() for p in sorted((tmp_path / "one").iterdir())] == [
        p.read_bytes() for p in sorted((tmp_path / "two").iterdir())
    ]


def test_verbose_prints_notes_and_quiet_drops_the_summary(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": b"skip_me()\n"})
    assert "TFNP901 note: skip_me is never touched" in cli("check", "-v", tmp_path).output
    assert "note:" not in cli("check", tmp_path).output
    assert cli("check", "-q", tmp_path).output == ""


def test_color_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": FIXABLE})
    assert "\x1b[" in cli("diff", "--color", tmp_path).output
    assert "\x1b[" not in cli("diff", tmp_path).output  # CliRunner's stdout is no TTY


def test_no_color_environment_wins_over_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from tfnp_migrate import cli as cli_module

    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module._use_color(None) is False
    monkeypatch.delenv("NO_COLOR")
    assert cli_module._use_color(None) is True
    assert cli_module._use_color(False) is False


def test_list_and_explain_read_the_classes() -> None:
    listing = cli("list")
    assert listing.exit_code == 0
    assert "TFNP901  old_call() -> new_call() (test only)" in listing.output
    assert "safety: safe; unsafe for risky()" in listing.output
    assert [row["code"] for row in json.loads(cli("list", "--format", "json").output)] == [
        "TFNP901", "TFNP811"
    ]  # fmt: skip
    text = cli("explain", "tfnp901").output
    for expected in ("TFNP901: old_call()", "Why\n  Test only.", "Fix safety", "Known limitations"):
        assert expected in text
    assert "-old_call(1)\n    +new_call(1)" in text
    assert "other_call: left unchanged: not old_call" in text


def test_explain_unknown_code_is_a_usage_error() -> None:
    result = cli("explain", "TFNP999")
    assert result.exit_code == 2
    assert "unknown code 'TFNP999'" in result.output


def test_version_and_usage_errors() -> None:
    assert __version__ in cli("--version").output
    assert cli("check").exit_code == 2  # no paths
    assert cli("check", ".", "--format", "xml").exit_code == 2
    assert cli("check", ".", "--dtype-policy", "float64").exit_code == 2
    assert cli("check", ".", "-j", "0").exit_code == 2


@pytest.mark.tensorflow
def test_verify_runs_a_fixture_pair(tmp_path: Path) -> None:
    pytest.importorskip("tfnp_migrate.verify")
    program = b"def main():\n    return [1, 2.5]\n"
    tree(tmp_path, {"same.in.py": program, "same.out.py": program})
    result = cli("verify", tmp_path, "--format", "json")
    assert result.exit_code == 0, result.output


def test_verify_without_paths_is_a_usage_error() -> None:
    assert cli("verify").exit_code == 2


def test_stdin_next_to_files_keeps_stdout_for_the_source(tmp_path: Path) -> None:
    tree(tmp_path, {"a.py": FIXABLE})
    result = CliRunner().invoke(main, ["fix", "-", str(tmp_path / "a.py")], input=FIXABLE)
    assert result.exit_code == 0
    assert result.stdout_bytes == FIXED
    assert (tmp_path / "a.py").read_bytes() == FIXED
    assert "2 files changed" in result.stderr


def test_discovery_skips_ignored_and_excluded_files_but_not_named_ones(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    files = {".gitignore": b"generated/\n", "generated/g.py": FIXABLE, "vendor/v.py": FIXABLE}
    files |= {".venv/pyvenv.cfg": b"", ".venv/lib/x.py": FIXABLE, "src/ok.py": CLEAN}
    tree(tmp_path, files)
    assert cli("check", tmp_path, "--exclude", "vendor").exit_code == 0
    assert cli("check", tmp_path).exit_code == 1  # vendor/ is only skipped when excluded
    assert cli("check", tmp_path / "generated/g.py").exit_code == 1
