"""``hpman check`` and ``hpman rule``: the linter's command line (the work is
:mod:`hpman_cst.checking`'s; this module reads options, prints, and sets the exit code).

Exit codes: 0 no finding (or only info, or ``--exit-zero``), 1 findings, 2 a usage error
or a ``--config`` file that cannot be read.
"""

from __future__ import annotations

import dataclasses
import hashlib

import click

from ...checking import (
    CheckProject,
    check,
    expand_configs,
    failing,
    read_runs,
    rule_info,
    runs_data,
)
from ...diagnostics import OUTPUT_FORMATS, render_findings, statistics
from ...lint import catalog
from ...lint.context import Run
from ...lint.select import Selection, check_selectors
from ...near_names import Normalisation
from ...records import FileIndex, Finding
from ...registry import build_registry
from ...render import unified_diff
from ...run_fix import fix_runs
from ...run_fix import write as write_runs
from ...scan import paused_gc
from ..exits import CLEAN, FINDINGS
from ..memo import remembered
from ..options import ScanOptions, scan_options
from ..output import echo, echo_err

__all__ = ["COMMANDS", "check_command", "rule_command"]


def _split(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


def _selection(scan: ScanOptions, select: tuple[str, ...], ignore: tuple[str, ...]) -> Selection:
    """``--select``/``--ignore`` (each replacing ``[tool.hpman]``'s) and the file's
    ``per-file-ignores``, checked against the catalog."""
    codes = [rule.code for rule in catalog.RULES]
    config = scan.config
    # a selector that selects nothing is a ConfigError: a usage error (exit 2)
    chosen = check_selectors(_split(select) or config.select or (), codes, "--select")
    ignored = check_selectors(_split(ignore) or config.ignore or (), codes, "--ignore")
    per_file = {
        pattern: check_selectors(values, codes, f"per-file-ignores `{pattern}`")
        for pattern, values in config.per_file_ignores
    }
    return Selection.from_mapping(chosen, ignored, per_file, config.base)


@click.command("check")
@click.option(
    "--config",
    "configs",
    multiple=True,
    metavar="FILE_OR_GLOB",
    help="A saved run (YAML/JSON, as --hp-save writes it) to check against the code; a"
    " glob (`outputs/**/*.yaml`) must match a file. Read even when git ignores it. Repeatable.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Only these rules (codes or prefixes, comma-separated).",
)
@click.option(
    "--ignore", multiple=True, metavar="CODES", help="Leave out these rules (codes or prefixes)."
)
@click.option(
    "--format",
    "format_",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="text: path:line:column: CODE message; json; github: workflow annotations;"
    " sarif: SARIF 2.1.0.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--statistics",
    "show_statistics",
    is_flag=True,
    help="Print the count of findings per code instead.",
)
@click.option(
    "--project",
    metavar="DIR",
    type=click.Path(exists=True, file_okay=False, path_type=str),
    help="Read all of DIR for context but report only findings in PATHS (what a pre-commit"
    " hook passes).",
)
@click.option(
    "--fix",
    is_flag=True,
    help="Apply the safe fixes (a run's key whose rename is certain): print their diff, or"
    " write them with --write.",
)
@click.option("--write", is_flag=True, help="With --fix: write the fixed files.")
@scan_options
def check_command(
    configs: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    format_: str,
    exit_zero: bool,
    show_statistics: bool,
    project: str | None,
    fix: bool,
    write: bool,
    scan: ScanOptions,
) -> int:
    """Check the hyper-parameters under PATHS (default: the current folder), and saved runs.

    Reports conflicting defaults, names read but never given a default, hints the default
    or the front-ends disagree with, near-duplicate names, calls static parsing cannot
    see, and keys of --config runs that no longer match the code, as
    `path:line:column: CODE message`. `# hpman: ignore[CODE]` on a line silences it.
    `hpman rule CODE` explains a code.

    \b
    Examples:
      hpman check
      hpman check --config 'outputs/**/config.yaml'
      hpman check --select D,N --format github
    """
    if write and not fix:
        raise click.UsageError("--write applies the fixes of --fix: give both")
    selection = _selection(scan, select, ignore)
    only = None
    if project is not None:
        only = scan.paths
        scan = dataclasses.replace(scan, paths=(project,))
    runs = read_runs(expand_configs(configs))  # ConfigNotFound, SerialError: exit 2
    if only is not None:
        only = tuple(only) + tuple(run.path for run in runs)
    with paused_gc():
        findings = list(_findings(scan, selection, runs, only))
    if fix:
        fixable = [f for f in findings if f.fix]
        fixed = fix_runs([plan for f in fixable for plan in f.fix], runs_data(runs))
        if write:
            write_runs(fixed)
            findings = [f for f in findings if not f.fix]
        else:
            echo(unified_diff(fixed))
        echo_err([_fix_summary(len(fixable), len(fixed), write)])
    if show_statistics:
        output = statistics(findings, rule_info)
    else:
        output = render_findings(findings, format_, rule_info)
    echo(output)
    return CLEAN if exit_zero or not failing(findings) else FINDINGS


def _findings(
    scan: ScanOptions, selection: Selection, runs: tuple[Run, ...], only: tuple[str, ...] | None
) -> tuple[Finding, ...]:
    """The findings, remembered in the cache (as ``hpman list``'s output is) under the
    bytes of every file and run read and the options that select them."""
    found = scan.discover()
    prepared = scan.scan(found.files)

    def compute() -> tuple[Finding, ...]:
        indexes = prepared.run(scan.jobs)
        indexes += [FileIndex(p.path, problems=(p,)) for p in found.problems]
        registry = build_registry(indexes)
        near = scan.config.near_names or Normalisation()
        subject = CheckProject(registry, tuple(found.files), scan.placeholders, runs, near)
        return tuple(check(subject, selection, only))

    if prepared.digest is None:  # no cache
        return compute()
    options = ("check", *scan.paths, "", *scan.placeholders, "", *(only or ()))
    runs_key = [(run.path, hashlib.blake2b(run.data).hexdigest()) for run in runs]
    settings = repr((selection, scan.config.near_names, runs_key))
    key = (prepared.digest, settings, *(str(p) for p in found.problems))
    return remembered(options, key, compute, tuple)


def _fix_summary(fixes: int, files: int, written: bool) -> str:
    counted = f"{fixes} fix{'es' * (fixes != 1)} in {files} file{'s' * (files != 1)}"
    if written:
        return f"{counted} written"
    return f"{counted}; nothing written (use --fix --write to apply)" if fixes else counted


@click.command("rule")
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule: code, name, what it finds.")
def rule_command(code: str | None, show_all: bool) -> int:
    """Explain the rule CODE of `hpman check` (or list them all with --all).

    \b
    Examples:
      hpman rule D001
      hpman rule --all
    """
    if show_all == (code is not None):
        raise click.UsageError("give a rule CODE or --all (not both)")
    if code is not None:
        try:
            rule = catalog.by_code(code.upper())
        except KeyError as exc:
            raise click.UsageError(str(exc.args[0])) from None
        echo(rule.doc)
        return CLEAN
    for family, about in catalog.FAMILIES.items():
        rules = catalog.matching(family)
        if not rules:
            continue
        echo(f"{family}: {about}\n")
        for rule in rules:
            echo(f"  {rule.code}  {rule.name} ({rule.severity.value}): {rule.summary}\n")
    return CLEAN


COMMANDS = (check_command, rule_command)
