"""``hpman export`` and ``hpman stubs``: the project's hyper-parameters handed to other tools (see
:mod:`hpman_cst.export`). Thin: scan, call the export, write or print.

A hint an export cannot carry is printed as ``path:line:column: X001 message`` and the
name is left out; the rest is still written, and the exit status is 1 (as for the
problems of the files read, which are printed the same way).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import click

from ...exceptions import did_you_mean
from ...export.model import Entry, Unmapped, registry_entries
from ...registry import build_registry
from ...render import display_path, error_lines
from ...source import atomic_write
from ..exits import CLEAN, FINDINGS
from ..options import ScanOptions, scan_options
from ..output import echo, echo_err

__all__ = ["COMMANDS", "export_command", "project_entries", "stubs_command", "unmapped_lines"]

EXPORT_FORMATS = ("jsonschema", "wandb")


def project_entries(
    scan: ScanOptions, names: Sequence[str]
) -> tuple[list[Entry], list[str], list[Unmapped]]:
    """The entries of the scanned project (only ``names`` and the groups below them when
    given), the error lines to print (the files' problems, unknown names) and the hints
    that cannot be honoured."""
    registry = build_registry(scan.index())
    errors = error_lines(registry)
    for name in names:
        if registry.get(name) is None and not registry.select([name]).parameters:
            hint = did_you_mean(name, registry.names)
            errors.append(f"hpman: no hyper-parameter named `{name}`{hint}")
    if names:
        registry = registry.select(names)
    entries, unmapped = registry_entries(registry)
    return entries, errors, unmapped


def unmapped_lines(unmapped: Sequence[Unmapped]) -> list[str]:
    """One ``path:line:column: CODE message`` line per record, in source order."""
    return [
        f"{display_path(u.path)}:{u.line}:{u.column + 1}: {u.code} {u.message}"
        for u in sorted(unmapped, key=lambda u: (u.path, u.line, u.column, u.name))
    ]


def finish(text: str, output: str | None, errors: Sequence[str]) -> int:
    """Print ``text`` (or write it to ``output``, atomically), then the ``errors``; the
    exit status."""
    if output is None:
        echo(text)
    else:
        atomic_write(output, text.encode("utf-8"))
    echo_err(errors)
    return FINDINGS if errors else CLEAN


@click.command("export")
@click.option(
    "--format",
    "format_",
    type=click.Choice(EXPORT_FORMATS),
    required=True,
    help="jsonschema: a JSON Schema of run files (--hp-save, --hp-load);"
    " wandb: a W&B sweep config.",
)
@click.option(
    "--name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this hyper-parameter (or the group of dotted names under it). Repeatable.",
)
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option(
    "--all",
    "all_",
    is_flag=True,
    help="wandb: also the names without a space (choices=, range=), as fixed values.",
)
@click.option("--program", default="train.py", show_default=True, help="wandb: the script.")
@click.option(
    "--method",
    type=click.Choice(("random", "grid", "bayes")),
    default="random",
    show_default=True,
    help="wandb: the search method.",
)
@click.option("--metric", default="loss", show_default=True, help="wandb: the metric's name.")
@click.option(
    "--goal",
    type=click.Choice(("minimize", "maximize")),
    default="minimize",
    show_default=True,
    help="wandb: the metric's goal.",
)
@scan_options
def export_command(
    format_: str,
    names: tuple[str, ...],
    output: str | None,
    all_: bool,
    program: str,
    method: str,
    metric: str,
    goal: str,
    scan: ScanOptions,
) -> int:
    """Export the hyper-parameters under PATHS for another tool.

    \b
    Examples:
      hpman export --format jsonschema -o hparams.schema.json
      hpman export --format wandb --metric val/acc --goal maximize -o sweep.yaml
    """
    entries, errors, unmapped = project_entries(scan, names)
    if format_ == "jsonschema":
        from ...export.jsonschema import schema_text

        return finish(schema_text(entries), output, errors + unmapped_lines(unmapped))
    from ...export.wandb import SweepOptions, sweep, sweep_text

    config, left_out = sweep(entries, SweepOptions(program, method, metric, goal, all_))
    return finish(sweep_text(config), output, errors + unmapped_lines(unmapped + left_out))


@click.command("stubs")
@click.option(
    "-o",
    "--output",
    metavar="DIR",
    default="typings",
    show_default=True,
    help="The stubs folder (pyright reads typings/; for mypy, set mypy_path).",
)
@scan_options
def stubs_command(output: str, scan: ScanOptions) -> int:
    """Write typed stubs of the hyper-parameters under PATHS to DIR/hpman_cst/, so that
    type checkers know `_("lr")` is a float and report an unknown name.

    Files that did not change are not written again; a file in DIR/hpman_cst/ that
    `hpman stubs` did not write is left as it is (exit 1, nothing written).
    """
    from ...export.stubs import HEADER, stub_files

    entries, errors, _ = project_entries(scan, ())
    files = stub_files(entries, scan.placeholders)
    targets = {os.path.join(output, *name.split("/")): text for name, text in files.items()}
    foreign = [path for path in targets if not _ours(path, HEADER)]
    if foreign:
        echo_err(f"hpman: {path}: not written by `hpman stubs`; left as it is" for path in foreign)
        return FINDINGS
    written: list[str] = []
    for path, text in targets.items():
        data = text.encode("utf-8")
        if _read(path) != data:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            atomic_write(path, data)
            written.append(f"hpman: wrote {display_path(path)}")
    echo_err(errors + written)
    return FINDINGS if errors else CLEAN


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _ours(path: str, header: str) -> bool:
    """Whether ``path`` is absent or was written by ``hpman stubs``."""
    data = _read(path)
    return data is None or data.startswith(header.encode("utf-8"))


COMMANDS = (export_command, stubs_command)
