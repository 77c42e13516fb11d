"""Verification: the comparison, the outcome rules, headers, rendering, and real runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tfnp_migrate.model import Change, Safety, Settings
from tfnp_migrate.verify import CaseResult, VerifyReport, render, run_verify, verify_cases
from tfnp_migrate.verify.cases import Case, apply_flags, header_flags, load_case
from tfnp_migrate.verify.compare import Rules, compare
from tfnp_migrate.verify.executor import Task
from tfnp_migrate.verify.run import judge

CASES = Path(__file__).parent / "verify_cases"


def tensor(dtype, shape, values, kind="tensor"):
    return (kind, dtype, shape, values)


F32 = tensor("float32", (2,), [1.0, 2.0])
STRICT, LENIENT = Rules(), Rules(strict_types=False)


def spec(dtype, kind="TensorSpec"):
    return ("spec", kind, dtype)


def dataset(elements, element_spec, truncated=False):
    return ("dataset", elements, element_spec, truncated)


PAIR_SPEC = ("tuple", [spec("float32"), spec("int64")], "tuple")


@pytest.mark.parametrize(
    ("expected", "got", "rules", "difference"),
    [
        pytest.param(F32, F32, STRICT, None, id="identical tensors"),
        pytest.param(
            tensor("float32", (1,), [float("nan")]),
            tensor("float32", (1,), [float("nan")]),
            STRICT,
            None,
            id="nan equals nan",
        ),
        pytest.param(
            F32,
            tensor("float64", (2,), [1.0, 2.0]),
            LENIENT,
            "result: expected dtype float32, got float64",
            id="dtype differs",
        ),
        pytest.param(
            F32,
            tensor("float32", (1, 2), [[1.0, 2.0]]),
            LENIENT,
            "result: expected shape (2,), got (1, 2)",
            id="shape differs",
        ),
        pytest.param(
            F32,
            tensor("float32", (2,), [1.0, 2.00001]),
            LENIENT,
            "result: float32 (2,): expected [1.0, 2.0], got [1.0, 2.00001]",
            id="values differ beyond 4 ulps by default",
        ),
        pytest.param(
            F32,
            tensor("float32", (2,), [1.0, 2.0000001]),
            LENIENT,
            None,
            id="values within 4 ulps agree (NumPy and TF use different math libraries)",
        ),
        pytest.param(
            F32,
            tensor("float32", (2,), [1.0, 2.000001]),  # beyond 4 ulps, within 1e-6
            Rules(strict_types=False, float32_tolerance=True),
            None,
            id="float32 tolerance under the float32 dtype policy",
        ),
        pytest.param(
            F32,
            tensor("float32", (2,), [1.0, 2.0], "ndarray"),
            STRICT,
            "result: expected a tensor, got an ndarray",
            id="strict kinds for safe changes",
        ),
        pytest.param(
            F32,
            tensor("float32", (2,), [1.0, 2.0], "ndarray"),
            LENIENT,
            None,
            id="tensor vs ndarray allowed when lenient",
        ),
        pytest.param(
            ("py", "int", 1),
            ("py", "float", 1.0),
            LENIENT,
            "result: expected int 1, got float 1.0",
            id="python types always count",
        ),
        pytest.param(
            ("dict", [("a", F32)]),
            ("dict", [("a", tensor("int32", (2,), [1, 2]))]),
            STRICT,
            "result['a']: expected dtype float32, got int32",
            id="path into a dict",
        ),
        pytest.param(
            ("list", [F32, F32], "list"),
            ("list", [F32], "list"),
            STRICT,
            "result: expected 2 items, got 1",
            id="list length",
        ),
        pytest.param(
            ("tuple", [F32], "tuple"),
            ("tuple", [F32], "Pair"),
            STRICT,
            "result: expected type tuple, got Pair",
            id="tuple type when strict",
        ),
        pytest.param(
            ("error", "ValueError", "x"),
            ("py", "NoneType", None),
            STRICT,
            "result: expected raises ValueError: x, got NoneType None",
            id="error vs value",
        ),
        pytest.param(
            tensor("float32", (1,), [0.0]),
            tensor("float32", (1,), [-0.0]),
            STRICT,
            "result: float32 (1,): expected [0.0], got [-0.0]",
            id="signed zeros differ",
        ),
        pytest.param(
            tensor("float32", (1,), [0.0]),
            tensor("float32", (1,), [-0.0]),
            Rules(float32_tolerance=True),
            None,
            id="signed zeros agree under float32 tolerance",
        ),
        pytest.param(
            ("py", "float", 0.0),
            ("py", "float", -0.0),
            STRICT,
            "result: expected 0.0, got -0.0",
            id="signed zeros differ in python floats",
        ),
        pytest.param(
            dataset([], spec("float32")),
            dataset([], spec("int32")),
            LENIENT,
            "result.element_spec: expected TensorSpec float32, got TensorSpec int32",
            id="empty datasets with other element dtypes differ even when lenient",
        ),
        pytest.param(
            dataset([], PAIR_SPEC),
            dataset([], spec("float32")),
            LENIENT,
            "result.element_spec: expected tuple of 2, got TensorSpec float32",
            id="empty datasets with other element nesting differ",
        ),
        pytest.param(
            dataset([], spec("int32", "RaggedTensorSpec")),
            dataset([], spec("int32")),
            LENIENT,
            "result.element_spec: expected RaggedTensorSpec int32, got TensorSpec int32",
            id="ragged elements are not dense elements",
        ),
        pytest.param(
            dataset([], ("tuple", PAIR_SPEC[1], "Pair")),
            dataset([], PAIR_SPEC),
            STRICT,
            "result.element_spec: expected type Pair, got tuple",
            id="element namedtuple type when strict",
        ),
        pytest.param(
            dataset([], ("tuple", PAIR_SPEC[1], "Pair")),
            dataset([], PAIR_SPEC),
            LENIENT,
            None,
            id="element namedtuple type allowed when lenient",
        ),
        pytest.param(
            dataset([F32, F32], spec("float32"), truncated=True),
            dataset([F32, F32], spec("float32")),
            LENIENT,
            "result: expected dataset of more than 2 elements, got dataset of 2 elements",
            id="only one dataset goes past the limit",
        ),
    ],
)
def test_compare(expected, got, rules, difference) -> None:
    assert compare(expected, got, rules).difference == difference


def test_lenient_kind_change_is_noted() -> None:
    found = compare(("list", [F32], "list"), ("list", [("ndarray",) + F32[1:]], "list"), LENIENT)
    assert found.difference is None
    assert found.notes == ["result[0]: tensor became ndarray"]


def test_truncated_datasets_are_noted() -> None:
    found = compare(
        dataset([F32, F32], spec("float32"), truncated=True),
        dataset([F32, F32], spec("float32"), truncated=True),
        STRICT,
    )
    assert found.difference is None
    assert found.notes == ["result: dataset compared on its first 2 elements"]


def test_unknown_element_spec_is_noted() -> None:
    found = compare(dataset([], None), dataset([], spec("int32")), LENIENT)
    assert found.difference is None
    assert found.notes == [
        "result: element_spec not compared (unknown for an empty eager reference)"
    ]


def case(changes=(), policy="preserve") -> Case:
    return Case("c", "c.in.py", "c.out.py", Settings(dtype_policy=policy), "", "", changes)


RAISES = ("error", "NotImplementedError", "Cannot convert a symbolic tf.Tensor")
UNSAFE = (Change("TFNP101", 1, 1, "m", Safety.UNSAFE, True),)


@pytest.mark.parametrize(
    ("the_case", "before", "after", "outcome"),
    [
        pytest.param(case(), {"normal": F32}, {"normal": F32}, "same", id="equal results"),
        pytest.param(
            case(),
            {"normal": F32},
            {"normal": ("ndarray",) + F32[1:]},
            "DIFFERENT",
            id="safe change must keep the kind",
        ),
        pytest.param(
            case(UNSAFE),
            {"normal": ("ndarray",) + F32[1:]},
            {"normal": F32},
            "same",
            id="unsafe change may turn an ndarray into a tensor",
        ),
        pytest.param(
            case(),
            {"normal": RAISES, "eager": F32},
            {"normal": F32},
            "fixed",
            id="fixed: after equals the eager meaning",
        ),
        pytest.param(
            case(),
            {"normal": RAISES, "eager": F32},
            {"normal": tensor("float32", (2,), [1.0, 3.0])},
            "DIFFERENT",
            id="after differs from the eager meaning",
        ),
        pytest.param(
            case(),
            {"normal": RAISES, "eager": RAISES},
            {"normal": F32},
            "DIFFERENT",
            id="no eager meaning and no reference",
        ),
        pytest.param(
            case(),
            {"normal": RAISES, "eager": RAISES, "reference": F32},
            {"normal": F32},
            "fixed",
            id="reference() used when eager raises too",
        ),
        pytest.param(
            case(),
            {"normal": RAISES, "eager": F32},
            {"normal": RAISES},
            "same",
            id="both raise the same type",
        ),
        pytest.param(
            case(),
            {"normal": RAISES, "eager": F32},
            {"normal": ("error", "TypeError", "")},
            "DIFFERENT",
            id="other exception",
        ),
    ],
)
def test_judge(the_case, before, after, outcome) -> None:
    assert judge(the_case, before, after)[0] == outcome


def test_header_flags_become_settings() -> None:
    source = "# tfnp-migrate: --unsafe --select TFNP101,tfnp2 --dtype-policy=float32\nimport x\n"
    settings = apply_flags(Settings(select=("TFNP3",)), header_flags(source))
    assert settings == Settings(select=("TFNP101", "TFNP2"), unsafe=True, dtype_policy="float32")
    assert header_flags("import x\n# tfnp-migrate: --unsafe\n") == []
    with pytest.raises(ValueError, match="--frobnicate"):
        apply_flags(Settings(), ["--frobnicate"])


def test_bad_header_and_missing_main_are_problems(tmp_path: Path) -> None:
    (tmp_path / "bad_flag.in.py").write_text("# tfnp-migrate: --nope\ndef main():\n    pass\n")
    (tmp_path / "no_main.in.py").write_text("x = 1\n")
    (tmp_path / "no_main.out.py").write_text("x = 2\n")
    report = run_verify([str(tmp_path), str(tmp_path / "missing")], Settings(), 2)
    assert [c.outcome for c in report.cases] == ["error", "error", "error"]
    assert "no main()" in report.cases[2].detail
    assert render(report, "text", False)[1] == 2


def report_of(*outcomes: str) -> VerifyReport:
    cases = tuple(CaseResult(f"c{i}", "p", o) for i, o in enumerate(outcomes))
    counts = {o: outcomes.count(o) for o in outcomes}
    return VerifyReport(cases, 1.0, counts)


@pytest.mark.parametrize(
    ("outcomes", "code"),
    [
        pytest.param(("same", "fixed", "unchanged"), 0, id="all good"),
        pytest.param(("same", "DIFFERENT", "error"), 1, id="DIFFERENT wins"),
        pytest.param(("same", "error"), 2, id="could not run"),
    ],
)
def test_exit_codes(outcomes, code) -> None:
    text, exit_code = render(report_of(*outcomes), "text", False)
    assert exit_code == code
    data = json.loads(render(report_of(*outcomes), "json", False)[0])
    assert sum(data["summary"].values()) == len(outcomes)


@pytest.mark.tensorflow
def test_parent_never_imports_tensorflow() -> None:
    code = (
        "import sys; from tfnp_migrate.verify import run_verify;"
        "from tfnp_migrate.model import Settings;"
        f"run_verify([{str(CASES / 'tensor_sum_same.in.py')!r}], Settings(), 2);"
        "print('numpy' in sys.modules or 'tensorflow' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


EXPECTED = {
    "verify_cases-both_raise_value_error": "same",
    "verify_cases-interleave_and_flat_map": "fixed",
    "verify_cases-no_change_needed": "unchanged",
    "verify_cases-ragged_results_from_map": "fixed",
    "verify_cases-reshape_in_dataset_map": "fixed",
    "verify_cases-reshape_in_tf_function": "fixed",
    "verify_cases-tensor_sum_same": "same",
    "verify_cases-wrong_dtype_different": "DIFFERENT",
}


@pytest.mark.tensorflow
def test_verify_cases_outcomes() -> None:
    report = run_verify([str(CASES)], Settings(), 2)
    assert {c.name: c.outcome for c in report.cases} == EXPECTED
    different = next(c for c in report.cases if c.outcome == "DIFFERENT")
    assert different.detail == "result: expected dtype float64, got float32"
    assert render(report, "text", False)[1] == 1


@pytest.mark.tensorflow
def test_worker_crash_timeout_and_global_numpy_behaviour(tmp_path: Path) -> None:
    def pair(name: str, before: str, after: str) -> None:
        (tmp_path / f"{name}.in.py").write_text(f"def main():\n{before}\n")
        (tmp_path / f"{name}.out.py").write_text(f"def main():\n{after}\n")

    pair("crash", "    return 1", "    import os\n    os._exit(3)")
    pair("hang", "    return 1", "    import time\n    time.sleep(60)")
    pair("both_hang", "    import time\n    time.sleep(60)", "    import time\n    time.sleep(60)")
    numpy_on = "    from tensorflow.experimental import numpy as tnp\n"
    numpy_on += "    tnp.experimental_enable_numpy_behavior()"
    pair("numpy_on", "    return 1", numpy_on + "\n    return 1")
    pair("after_them", "    return 2", "    return 2")
    # printing or reading stdin must neither corrupt nor eat the worker protocol
    noisy = "    import os, sys\n    print('x')\n    os.write(1, b'raw')\n"
    noisy += "    return sys.stdin.read()"
    pair("noisy", noisy, noisy)
    cases = [load_case(p, Settings()) for p in sorted(tmp_path.glob("*.in.py"))]
    report = verify_cases(cases, jobs=2, timeout=10)
    outcomes = {c.name.split("-")[-1]: (c.outcome, c.detail) for c in report.cases}
    assert outcomes["crash"][0] == "DIFFERENT" and "WorkerCrash" in outcomes["crash"][1]
    assert outcomes["hang"][0] == "DIFFERENT" and "Timeout" in outcomes["hang"][1]
    assert outcomes["both_hang"][0] == "DIFFERENT"  # two hangs are no evidence of agreement
    assert outcomes["numpy_on"][0] == "same"
    assert outcomes["after_them"][0] == "same"
    assert outcomes["noisy"][0] == "same"
    numpy_task = Task("k", "after", numpy_on, "f.py")
    assert numpy_task.isolated and not Task("k", "after", "x = 1", "f.py").isolated


@pytest.mark.tensorflow
def test_verify_runs_cases_in_a_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A case runs on a copy of its folder, in a clean environment, under memory and output
    limits; the user's folder is never written and an undecodable fixture is a case error."""

    def pair(name: str, body: str, after: str | None = None) -> None:
        (tmp_path / f"{name}.in.py").write_text(f"def main():\n{body}\n")
        (tmp_path / f"{name}.out.py").write_text(f"def main():\n{after or body}\n")

    (tmp_path / "data.txt").write_text("beside the fixture\n")
    monkeypatch.setenv("TFNP_TEST_SECRET", "do not leak")
    # each before must compute what its after states: reads a data file by a relative path
    # (from the copy), then writes beside it
    pair("writes", "    text = open('data.txt').read()\n    open('out.txt', 'w').write(text)\n"
         "    return text", "    return 'beside the fixture\\n'")  # fmt: skip
    pair("environment", "    import os\n    return (os.environ.get('TFNP_TEST_SECRET'), "
         "'tfnp-verify-home-' in os.environ['HOME'])", "    return (None, True)")  # fmt: skip
    # 16 GB of float64: refused by the address-space limit, a MemoryError, not a dead worker
    pair("memory", "    import numpy as np\n    return np.ones(2 * 1024**3).sum()",
         "    raise MemoryError('refused')")  # fmt: skip
    # 100 MB of output: the writes past 64 MB fail (EFBIG), the program sees an OSError
    pair("output", "    import sys\n    sys.stderr.write('x' * (100 * 1024**2))\n    return 1",
         "    return 1")  # fmt: skip
    (tmp_path / "broken.in.py").write_text("def main():\n    return 1\n")
    (tmp_path / "broken.out.py").write_bytes(b"def main():\n    return '\xff'\n")
    report = run_verify([str(tmp_path)], Settings(), 2)
    outcomes = {c.name.split("-")[-1]: (c.outcome, c.detail) for c in report.cases}
    assert outcomes["writes"][0] == "same"
    assert not (tmp_path / "out.txt").exists()  # it wrote into the copy
    assert outcomes["environment"][0] == "same"
    assert outcomes["memory"] == ("same", "")  # both raise MemoryError, nothing crashed
    assert outcomes["output"][0] == "DIFFERENT" and "File too large" in outcomes["output"][1]
    assert outcomes["broken"][0] == "error" and "cannot read fixture" in outcomes["broken"][1]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["data.txt", *(f"{n}.{s}.py" for n in (*outcomes,) for s in ("in", "out"))]
    )


def test_sandbox_environment_keeps_only_what_is_documented(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tfnp_migrate.verify.worker import KEPT_ENVIRONMENT, sandbox_environment

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "x")
    monkeypatch.setenv("PATH", "/usr/bin")
    env = sandbox_environment("/tmp/home")
    assert "AWS_SECRET_ACCESS_KEY" not in env and env["PATH"] == "/usr/bin"
    assert env["HOME"] == env["TMPDIR"] == "/tmp/home"
    assert set(env) <= set(KEPT_ENVIRONMENT) | {
        "HOME", "TMPDIR", "TEMP", "TMP", "LANG", "LC_ALL", "PYTHONHASHSEED",
        "PYTHONDONTWRITEBYTECODE", "TF_CPP_MIN_LOG_LEVEL", "CUDA_VISIBLE_DEVICES",
    }  # fmt: skip
