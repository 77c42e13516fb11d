"""The `tfnp-migrate` command line: it only wires the layers together.

Heavy modules (libcst, the engine, the codemods) are imported inside the command bodies so that
`tfnp-migrate --help` stays fast; `tests/test_import_cost.py` holds this module to it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click

from tfnp_migrate import __version__

_CODE = re.compile(r"TFNP\d{0,3}")


class ConfigError(click.ClickException):
    """A usage or configuration problem outside argument parsing: exit 2, like click's own."""

    exit_code = 2


def _codes(ctx: click.Context, param: click.Parameter, values: Sequence[str]) -> tuple[str, ...]:
    """Comma-separated, repeatable codes or family prefixes (`TFNP1`), upper-cased."""
    codes = tuple(c.strip().upper() for v in values for c in v.split(",") if c.strip())
    bad = [c for c in codes if not _CODE.fullmatch(c)]
    if bad:
        raise click.BadParameter(
            f"not a code or family prefix: {', '.join(bad)} (e.g. TFNP101, TFNP1)"
        )
    from tfnp_migrate.config import known_codes, unknown_codes

    unknown = unknown_codes(codes)
    if unknown:  # a typo in a CI gate must not select nothing and pass
        raise click.BadParameter(
            f"no codemod has the code or prefix {', '.join(unknown)} "
            f"(known: {', '.join(known_codes())})"
        )
    return codes


def _options(*options: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Apply click decorators in the order written (click applies them bottom-up)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


_CHOICES = {
    "dtype_policy": click.Choice(["preserve", "float32"]),
    "numpy_from": click.Choice(["1", "2"]),
    "fmt": click.Choice(["text", "json", "github", "gitlab", "junit", "sarif"]),
}
_PATHS = click.argument("paths", nargs=-1, required=True, type=click.Path())
_SELECTION = (
    click.option(
        "--select",
        multiple=True,
        metavar="CODES",
        callback=_codes,
        help="Codes or prefixes to run (default: all).",
    ),
    click.option(
        "--ignore",
        multiple=True,
        metavar="CODES",
        callback=_codes,
        help="Codes or prefixes to skip.",
    ),
    click.option(
        "--unsafe", is_flag=True, help="Also apply changes that alter what code computes."
    ),
    click.option(
        "--dtype-policy",
        type=_CHOICES["dtype_policy"],
        default="preserve",
        show_default=True,
        help="Dtype TFNP201 writes: today's dtype, or float32.",
    ),
    click.option(
        "--numpy-from",
        type=_CHOICES["numpy_from"],
        default="2",
        show_default=True,
        help="The NumPy major version the code runs on today: TFNP404 pins its dtypes.",
    ),
    click.option(
        "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: CPU count)."
    ),
)
_COLOR = click.option(
    "--color/--no-color", default=None, help="Colour (default: on a terminal, unless NO_COLOR)."
)
_FORMAT = click.option("--format", "fmt", type=_CHOICES["fmt"], default="text", show_default=True)
_RUN_OPTIONS = _options(
    _PATHS,
    *_SELECTION,
    click.option(
        "--extend-select",
        multiple=True,
        metavar="CODES",
        callback=_codes,
        help="Codes or prefixes to run in addition to --select (or the configured ones).",
    ),
    click.option(
        "--exclude", multiple=True, metavar="GLOB", help="Skip matching files/folders (repeatable)."
    ),
    click.option(
        "--extend-exclude", multiple=True, metavar="GLOB", help="More globs to skip (repeatable)."
    ),
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        help="Read [tool.tfnp-migrate] from this file (default: the nearest pyproject.toml).",
    ),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache."),
    click.option(
        "--shard",
        callback=lambda ctx, param, value: _shard(value),
        metavar="K/N",
        help="Process the K-th of N deterministic parts of the files (CI matrices).",
    ),
    click.option(
        "--cache-dir",
        type=click.Path(file_okay=False),
        help="Result cache folder (default: .tfnp_migrate_cache at the project root).",
    ),
    click.option(
        "--baseline",
        "baseline_file",
        type=click.Path(dir_okay=False),
        help="check: fail only on findings not recorded in this baseline file.",
    ),
    click.option(
        "--write-baseline",
        type=click.Path(dir_okay=False),
        help="check: record today's findings in this file (and exit 0).",
    ),
    click.option(
        "--output-file",
        type=click.Path(dir_okay=False, writable=True),
        help="Write the report to this file; the terminal gets the summary.",
    ),
    click.option("--statistics", is_flag=True, help="Counts per code and safety, not each line."),
    click.option(
        "--exit-zero", is_flag=True, help="Exit 0 even when check finds something (not on errors)."
    ),
    click.option(
        "--report-unused-noqa",
        is_flag=True,
        help="List `# noqa` comments naming TFNP codes that silenced nothing (check fails).",
    ),
    click.option(
        "--show-settings", is_flag=True, help="Print the settings in force and where each is from."
    ),
    _FORMAT,
    _COLOR,
    click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        default=60.0,
        show_default=True,
        metavar="SECONDS",
        help="Time limit per file (0: none); a file over it is reported failed.",
    ),
    click.option(
        "-q",
        "--quiet",
        count=True,
        help="-q: findings and failures only (no diffs, no summary); -qq: failures only.",
    ),
    click.option("-v", "--verbose", count=True, help="Also print what was left alone, and why."),
)


def _cpus() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _use_color(flag: bool | None, err: bool = False) -> bool:
    if flag is not None:
        return flag
    stream = sys.stderr if err else sys.stdout
    return stream.isatty() and not os.environ.get("NO_COLOR")


def _settings(
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    unsafe: bool,
    dtype_policy: str,
    numpy_from: str = "2",
) -> Any:
    from tfnp_migrate.model import Settings

    return Settings(
        select=select or ("TFNP",),
        ignore=ignore,
        unsafe=unsafe,
        dtype_policy=dtype_policy,
        numpy_from=numpy_from,
    )


# command-line parameter -> configuration key
_CONFIGURABLE = {
    "select": "select",
    "extend_select": "extend-select",
    "ignore": "ignore",
    "unsafe": "unsafe",
    "dtype_policy": "dtype-policy",
    "numpy_from": "numpy-from",
    "exclude": "exclude",
    "extend_exclude": "extend-exclude",
    "jobs": "jobs",
    "fmt": "format",
    "timeout": "timeout",
    "cache_dir": "cache-dir",
}


def _resolve(paths: Sequence[str], config_file: str | None, isolated: bool,
             options: dict[str, Any]) -> Any:  # fmt: skip
    """The settings in force: defaults, then `[tool.tfnp-migrate]`, then the command line."""
    from click.core import ParameterSource

    from tfnp_migrate import config, discovery

    ctx = click.get_current_context()
    given = {
        key: options[name]
        for name, key in _CONFIGURABLE.items()
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    }
    try:
        found, table = (None, None) if isolated else discovery.find_config(paths, config_file)
        values = config.parse_table(table, str(found)) if table is not None else {}
    except config.ConfigProblem as exc:
        raise ConfigError(str(exc)) from None
    return config.resolve(values, found, given), found


def _shard(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise click.BadParameter(f"expected K/N with 1 <= K <= N, got {value!r}")
    return int(match.group(1)), int(match.group(2))


def _read_baseline(mode: str, baseline_file: str | None,
                   write_baseline: str | None) -> tuple[Any, str]:  # fmt: skip
    """The known findings of `--baseline` (None without one), and the folder keys are below."""
    from tfnp_migrate import baseline, runner

    if (baseline_file or write_baseline) and mode != "check":
        raise click.UsageError("--baseline and --write-baseline go with `check`")
    if baseline_file and write_baseline:
        raise click.UsageError("--baseline and --write-baseline exclude each other")
    target = baseline_file or write_baseline
    root = os.path.dirname(os.path.abspath(target)) if target else os.getcwd()
    if baseline_file is None:
        return None, root
    try:
        return baseline.loads(runner.read_text(baseline_file), baseline_file), root
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{baseline_file}: cannot read the baseline: {exc}") from None
    except baseline.BaselineProblem as exc:
        raise ConfigError(str(exc)) from None


def _run(mode: str, paths: Sequence[str], config_file: str | None, isolated: bool,
         show_settings: bool, no_cache: bool, shard: tuple[int, int] | None,
         baseline_file: str | None,
         write_baseline: str | None,
         output_file: str | None, statistics: bool, exit_zero: bool,
         report_unused_noqa: bool, color: bool | None, quiet: int, verbose: int,
         interactive: bool = False, **options: Any) -> None:  # fmt: skip
    """Shared body of fix, diff and check: configure, discover, run, report, exit."""
    from tfnp_migrate import baseline, runner
    from tfnp_migrate.model import Settings
    from tfnp_migrate.report import Report

    resolved, found = _resolve(paths, config_file, isolated, options)
    if interactive and (runner.STDIN in paths or resolved["format"] != "text" or output_file
                        or write_baseline or statistics):  # fmt: skip
        raise click.UsageError(
            "--interactive reviews files in place on a terminal: it does not combine with `-`, "
            "--format other than text, --output-file, --write-baseline or --statistics"
        )
    if show_settings:
        source = found or "none (defaults and the command line)"
        click.echo(f"# configuration file: {source}\n{resolved.show()}", nl=False)
        sys.exit(0)
    root = os.path.dirname(os.path.abspath(found)) if found else os.getcwd()  # the project's
    known, base_root = _read_baseline(mode, baseline_file, write_baseline)
    settings = Settings(
        select=resolved["select"],
        ignore=resolved["ignore"],
        unsafe=resolved["unsafe"],
        dtype_policy=resolved["dtype-policy"],
        numpy_from=resolved["numpy-from"],
        per_file_ignores=resolved["per-file-ignores"],
        root=root,
    )
    to_err = mode == "fix" and runner.STDIN in paths  # stdout carries the fixed source
    color = _use_color(color, to_err) and output_file is None
    rules: Sequence[Any] = ()
    if resolved["format"] == "sarif":  # SARIF describes each codemod as a rule
        import codemods

        rules = codemods.ALL_CODEMODS
    # a review prints each change as it asks; the report adds failures and the summary
    level = -2 if interactive else verbose - quiet
    report = Report(mode, resolved["format"], color, level, report_unused_noqa,
                    statistics, rules, os.getcwd())  # fmt: skip
    out: Any = None
    if output_file is not None:
        try:
            out = open(output_file, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise ConfigError(f"cannot write {output_file}: {exc.strerror or exc}") from None

    progress = None

    def emit(text: str) -> None:
        if out is not None:
            out.write(text)
        elif text:
            if progress is not None:
                progress.clear()
            click.echo(text, nl=False, err=to_err, color=color)

    matched: list[Any] = []
    recorded: list[Any] = []
    # dependency declarations join the run when TFNP401 is selected for some file
    declared = any("TFNP401".startswith(p) for p in settings.select) and not any(
        "TFNP401".startswith(p) for p in settings.ignore
    )  # (the codemods package is not imported here: it costs LibCST)
    files, missing = runner.collect(paths, resolved["exclude"], declarations=declared)
    if shard is not None:
        files = runner.shard(files, root, *shard)
        missing = missing if shard[0] == 1 else []  # reported once across the shards
    if (sys.stderr.isatty() and quiet <= 0 and resolved["format"] == "text" and not to_err
            and out is None and len(files) > 1 and not interactive):  # fmt: skip
        from tfnp_migrate.progress import Progress

        progress = Progress(sys.stderr, len(files))
    for path in missing:
        emit(report.add(runner.missing_result(path)))
    jobs, timeout = resolved["jobs"] or _cpus(), resolved["timeout"] or None
    cache = None
    if not no_cache:
        from tfnp_migrate.cache import FOLDER, Cache

        cache = Cache(resolved["cache-dir"] or os.path.join(root, FOLDER))
        if cache.warning:
            click.echo(f"warning: {cache.warning}", err=True)
    results: Iterable[Any] = runner.run(files, settings, mode == "fix" and not interactive,
                                        jobs, timeout, cache)  # fmt: skip
    review = None
    if interactive:
        results, review = _review(results, settings, color)
    try:
        for result in results:
            if write_baseline is not None:
                recorded += baseline.keys_of(result, base_root)
            elif known is not None:
                result, known_here = baseline.without_known(result, known, base_root)
                matched += known_here
            emit(report.add(result))
            if progress is not None:
                progress.advance()
        if progress is not None:
            progress.finish()
        text, code = report.finish()
        if review is not None:  # the summary with its failures, after what the review did
            from tfnp_migrate.report import summary_text

            text = f"{review.tally()}\n{summary_text(report.totals, mode, color)}\n"
        emit(text)
    finally:
        if out is not None:
            out.close()
    if write_baseline is not None:
        try:
            runner.write_text(write_baseline, baseline.dumps(recorded))
        except OSError as exc:
            raise ConfigError(f"cannot write {write_baseline}: {exc.strerror or exc}") from None
        click.echo(f"baseline: {len(set(recorded))} findings recorded in {write_baseline}",
                   err=True)  # fmt: skip
        code = 2 if code == 2 else 0
    elif known is not None and quiet <= 0:
        click.echo(baseline.summary(len(matched), baseline.stale(known, matched)), err=True)
    if out is not None and quiet <= 0:  # the terminal keeps the human summary
        from tfnp_migrate.report import summary_text

        click.echo(summary_text(report.totals, mode, _use_color(None, to_err)), err=to_err)
    sys.exit(0 if exit_zero and code == 1 else code)


def _review(results: Iterable[Any], settings: Any, color: bool) -> tuple[Iterable[Any], Any]:
    """The runner's results reviewed change by change (`fix --interactive`)."""
    from tfnp_migrate import runner
    from tfnp_migrate.review import Review

    def ask(text: str) -> str:
        try:
            return str(click.prompt(text, default="", show_default=False, prompt_suffix=""))
        except click.Abort:  # end of input, or Ctrl-C / Ctrl-D at the prompt: quit
            click.echo()
            return "q"

    review = Review(settings, runner.migrate_here, runner.read_bytes, runner.atomic_write, ask,
                    lambda text: click.echo(text, nl=False, color=color), color)  # fmt: skip
    return review.run(results), review


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tfnp-migrate")
def main() -> None:
    """Find and rewrite the places where NumPy and TensorFlow collide.

    Exit codes: 0 nothing (left) to change; 1 `check` found something; 2 usage error or a file
    that could not be processed.
    """


@main.command()
@_RUN_OPTIONS
@click.option(
    "-i",
    "--interactive",
    is_flag=True,
    help="Ask before each change: y(es), n(o), a(ll in this file), d(one with this file), "
    "q(uit), ?; only accepted changes are written.",
)
def fix(interactive: bool, **options: Any) -> None:
    """Rewrite files in place (atomically; only files that change). `-` filters stdin to stdout."""
    _run("fix", interactive=interactive, **options)


@main.command()
@_RUN_OPTIONS
def diff(**options: Any) -> None:
    """Print unified diffs of what `fix` would change. Never writes."""
    _run("diff", **options)


@main.command()
@_RUN_OPTIONS
def check(**options: Any) -> None:
    """CI mode: list every finding; exit 1 while anything is left to migrate. Never writes."""
    _run("check", **options)


_INTERPRETERS = (
    click.option(
        "--before-python",
        type=click.Path(exists=True, dir_okay=False),
        help="Run the befores (and their eager references) under this Python, with its own "
        "NumPy and TensorFlow (TF 2.15 + NumPy 1.26, say).",
    ),
    click.option(
        "--after-python",
        type=click.Path(exists=True, dir_okay=False),
        help="Run the afters under this Python (default: the one running tfnp-migrate).",
    ),
)


@main.command()
@_options(_PATHS, *_SELECTION, *_INTERPRETERS, _FORMAT, _COLOR)
def verify(paths: tuple[str, ...], select: tuple[str, ...], ignore: tuple[str, ...], unsafe: bool,
           dtype_policy: str, numpy_from: str, jobs: int | None, before_python: str | None,
           after_python: str | None, fmt: str, color: bool | None) -> None:  # fmt: skip
    """Execute fixture pairs (*.in.py / *.out.py, or notebooks *.in.ipynb / *.out.ipynb) before
    and after; exit 1 on any DIFFERENT."""
    try:
        from tfnp_migrate.verify.render import render
        from tfnp_migrate.verify.run import run_verify
    except ImportError as exc:
        raise ConfigError(f"verification is unavailable: {exc}") from None
    settings = _settings(select, ignore, unsafe, dtype_policy, numpy_from)
    report = run_verify(list(paths), settings, jobs or _cpus(), before_python, after_python)
    color = _use_color(color)
    text, code = render(report, fmt, color)
    click.echo(text, nl=not text.endswith("\n"), color=color)
    sys.exit(code)


@main.command("list")
@_FORMAT
def list_(fmt: str) -> None:
    """Every codemod: code, summary and fix safety."""
    import codemods
    from tfnp_migrate.describe import list_text

    click.echo(list_text(codemods.ALL_CODEMODS, fmt), nl=False)


@main.command()
@click.argument("code")
@_COLOR
def explain(code: str, color: bool | None) -> None:
    """Why a codemod exists, how safe its fixes are, its limits, and its examples as diffs."""
    import codemods
    from tfnp_migrate.describe import explain_text

    cls = codemods.by_code(code.strip())
    if cls is None:
        known = ", ".join(c.CODE for c in codemods.ALL_CODEMODS) or "none registered"
        raise click.UsageError(f"unknown code {code!r} (known: {known})")
    color = _use_color(color)
    click.echo(explain_text(cls, color), nl=False, color=color)
