"""A hostile file costs that file alone: real parser crashes, real hangs, a real `kill -9`."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tfnp_migrate import runner
from tfnp_migrate.model import Settings

HEAD = "import numpy as np\nimport tensorflow as tf\n"
# LibCST's native parser dies by SIGSEGV past about 1,230 nested brackets.
SEGFAULT = HEAD + "x = np.reshape(" + "[" * 2000 + "]" * 2000 + ", [-1])\n"
# 800 nested calls keep LibCST busy for about 40 s (ast.parse refuses them at once).
HANG = HEAD + "x = " + "f(" * 800 + ")" * 800 + "\n"
ORDINARY = "import tensorflow as tf\nc = tf.constant(1.0)\n"
FIXED = "import tensorflow as tf\nc = tf.constant(1.0, dtype=tf.float32)\n"


# The engine refuses nesting Python itself refuses before LibCST sees it; these tests switch
# that off to prove the second line of defence: a file that really crashes or hangs LibCST.
_UNGUARDED = (
    "import tfnp_migrate.engine as e; e._TOO_DEEP = frozenset()\n"
    "from tfnp_migrate.cli import main; main()"
)


def _command(*args: str, guarded: bool = True) -> list[str]:
    run = ["-m", "tfnp_migrate"] if guarded else ["-c", _UNGUARDED]
    return [sys.executable, *run, *args]


def _cli(*args: str, guarded: bool = True, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(*args, guarded=guarded),
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[call-overload]
    )


def _tree(root: Path, bad: dict[str, str], ordinary: int = 4) -> list[Path]:
    root.mkdir(exist_ok=True)
    for name, text in bad.items():
        (root / name).write_text(text)
    paths = []
    for i in range(ordinary):
        paths.append(root / f"ok{i}.py")
        paths[-1].write_text(ORDINARY)
    return paths


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crash_and_a_hang_cost_their_files_alone(tmp_path: Path, jobs: str) -> None:
    ok = _tree(tmp_path, {"crash.py": SEGFAULT, "hang.py": HANG})
    proc = _cli(
        "fix", "-j", jobs, "--timeout", "3", "--format", "json", str(tmp_path), guarded=False
    )
    assert proc.returncode == 2, proc.stderr
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert "parser crashed" in files["crash.py"]["error"]
    assert "took longer than 3 s" in files["hang.py"]["error"]
    assert all(files[p.name]["changed"] and files[p.name]["error"] is None for p in ok)
    assert all(p.read_text() == FIXED for p in ok)
    assert (tmp_path / "crash.py").read_text() == SEGFAULT
    assert (tmp_path / "hang.py").read_text() == HANG


def test_the_same_files_are_refused_before_libcst_by_default(tmp_path: Path) -> None:
    _tree(tmp_path, {"crash.py": SEGFAULT, "hang.py": HANG}, ordinary=1)
    proc = _cli("check", "--format", "json", str(tmp_path))
    assert proc.returncode == 2
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert "too many nested parentheses" in files["crash.py"]["error"]
    assert "too many nested parentheses" in files["hang.py"]["error"]
    assert files["ok0.py"]["changed"]


def test_text_output_names_the_cause(tmp_path: Path) -> None:
    _tree(tmp_path, {"crash.py": SEGFAULT}, ordinary=1)
    proc = _cli("check", str(tmp_path / "crash.py"), str(tmp_path / "ok0.py"), guarded=False)
    assert proc.returncode == 2
    assert "crash.py: the parser crashed on this file (SIGSEGV; deep nesting?)" in proc.stdout
    assert "ok0.py:2:5: TFNP201" in proc.stdout


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_the_main_process(tmp_path: Path) -> None:
    _tree(tmp_path, {"hang.py": HANG}, ordinary=0)
    main = subprocess.Popen(
        _command("fix", "--timeout", "0", str(tmp_path), guarded=False),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        workers: set[int] = set()
        while not workers and time.monotonic() < deadline:
            workers = _descendants(main.pid)
            time.sleep(0.05)
        assert workers, "no worker started"
        time.sleep(0.5)  # the worker is parsing now
        main.send_signal(signal.SIGKILL)
        main.wait()
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers)), "a worker outlived the main process"
    finally:
        if main.poll() is None:
            main.kill()
    assert (tmp_path / "hang.py").read_text() == HANG


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killed_workers_never_leave_a_failed_file_written(tmp_path: Path) -> None:
    """Kill workers at random points of a `fix`: every file is written iff reported changed."""
    body = ORDINARY + "".join(f"v{i} = tf.constant([{i}, 2])\n" for i in range(300))
    paths = []
    for i in range(40):
        paths.append(tmp_path / f"m{i:02}.py")
        paths[-1].write_text(body)
    main = subprocess.Popen(
        [sys.executable, "-m", "tfnp_migrate", "fix", "-j", "2", "--format", "json", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    rng = random.Random(8)
    kills = 0

    def killer() -> None:
        nonlocal kills
        while main.poll() is None and kills < 6:
            time.sleep(rng.uniform(0.05, 0.4))
            victims = sorted(_descendants(main.pid))
            if victims:
                try:
                    os.kill(rng.choice(victims), signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    pass

    thread = threading.Thread(target=killer)
    thread.start()
    out, err = main.communicate(timeout=300)
    thread.join()
    assert kills, "the run ended before any worker could be killed"
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert len(files) == len(paths)
    for path in paths:
        record = files[path.name]
        written = path.read_text() != body
        assert written == (record["changed"] and record["error"] is None), record
        if record["error"]:
            assert "killed" in record["error"], record


def test_fifo_is_skipped_with_a_note_never_opened(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "ok.py").write_text(ORDINARY)
    proc = _cli("check", str(tmp_path), str(tmp_path / "pipe.py"))  # in a folder and named
    assert proc.returncode == 1, proc.stderr  # the ordinary file's finding; nothing failed
    assert "pipe.py: skipped: not a regular file (a FIFO)" in proc.stdout


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_code_is_a_usage_error(tmp_path: Path, option: str) -> None:
    (tmp_path / "ok.py").write_text(ORDINARY)
    proc = _cli("check", option, "TFNP9", str(tmp_path))
    assert proc.returncode == 2
    assert "no codemod has the code or prefix TFNP9" in proc.stderr


def test_jobs_are_capped_by_the_number_of_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ok.py").write_text(ORDINARY)
    sizes: list[int] = []
    real = runner._Pool

    def recording(size: int, *args: object) -> object:
        sizes.append(size)
        return real(size, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "_Pool", recording)
    results = list(runner.run([str(tmp_path / "ok.py")], Settings(), False, jobs=100000))
    assert sizes == [1] and results[0].changes


def test_syntax_errors_carry_the_real_position(tmp_path: Path) -> None:
    # LibCST's tokenizer reports this one at 1:1; Python's parser knows better.
    path = tmp_path / "fw.py"
    path.write_text("import tensorflow as tf\nc = tf.constant(1)\ndef f(a\uff0c b):\n    pass\n")
    proc = _cli("check", str(path))
    assert proc.returncode == 2
    assert "cannot parse: line 3, column 8: invalid character '\uff0c' (U+FF0C)" in proc.stdout


def test_nesting_python_refuses_is_not_handed_to_libcst(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import libcst as cst

    from tfnp_migrate.engine import migrate_source

    parsed: list[str] = []
    real = cst.parse_module
    monkeypatch.setattr(cst, "parse_module", lambda text: parsed.append(text) or real(text))
    deep = ORDINARY + "x = " + "[" * 300 + "]" * 300 + "\n"
    result = migrate_source(deep, Settings(), "deep.py")
    assert result.error and "too many nested parentheses" in result.error
    assert "LibCST is not tried" in result.error and not parsed
    ok = migrate_source(ORDINARY + "x = " + "[" * 100 + "]" * 100 + "\n", Settings(), "ok.py")
    assert ok.error is None and ok.changes and parsed  # below Python's limit: processed


_CRASHES = (
    "import libcst, sys\nd = int(sys.argv[1])\nlibcst.parse_module('x = ' + '[' * d + ']' * d)\n"
)


@pytest.mark.slow
def test_python_refuses_nesting_well_below_where_libcst_crashes() -> None:
    """The refusal limit is Python's (200 brackets); find LibCST's crash depth by bisection."""

    def crashes(depth: int) -> bool:
        proc = subprocess.run([sys.executable, "-c", _CRASHES, str(depth)], capture_output=True)
        return proc.returncode < 0  # died by a signal

    low, high = 200, 20000
    assert not crashes(low) and crashes(high)
    while high - low > 16:
        mid = (low + high) // 2
        low, high = (low, mid) if crashes(mid) else (mid, high)
    # measured about 1,230 with LibCST 1.9 on Linux: every crashing depth is refused first
    assert low > 400, f"LibCST crashes at {high} nested brackets, near Python's own limit"


def test_deep_recursion_in_the_analysis_is_named_as_such() -> None:
    from tfnp_migrate.engine import migrate_source

    deep = ORDINARY + "x = tf.constant(" + "[" * 199 + "1" + "]" * 199 + ")\n"
    result = migrate_source(deep, Settings(), "deep.py")
    assert result.error is not None and "internal error" not in result.error
    assert "nesting too deep" in result.error


def test_a_hard_linked_file_is_refused_not_split(tmp_path: Path) -> None:
    path, other = tmp_path / "a.py", tmp_path / "b.py"
    path.write_text(ORDINARY)
    os.link(path, other)
    proc = _cli("fix", str(path))
    assert proc.returncode == 2
    assert "hard links" in proc.stdout
    assert path.read_text() == other.read_text() == ORDINARY


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_killed_between_files_is_replaced(tmp_path: Path) -> None:
    """A worker that dies while idle costs no file: the next task goes to a fresh worker."""
    from tfnp_migrate.runner import _analyse  # noqa: I001
    from tfnp_migrate.workers import Pool

    for i in range(3):
        (tmp_path / f"m{i}.py").write_text(ORDINARY)
    pool = Pool(1, Settings(), 30.0, _analyse)
    try:
        tasks = [(str(tmp_path / f"m{i}.py"), None) for i in range(3)]
        outcomes = pool.map(tasks)
        first = next(outcomes)
        assert first[0].changes
        idle = pool.workers[0].proc
        assert idle.is_alive() and pool.workers[0].task is None  # idle between two files
        os.kill(idle.pid, signal.SIGKILL)
        idle.join()
        rest = list(outcomes)
    finally:
        pool.close()
    assert [r.error for r, _, _ in rest] == [None, None]
