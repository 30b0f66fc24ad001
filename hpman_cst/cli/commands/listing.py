"""``hpman list``: every hyper-parameter of a project, as a table, with its source, as
JSON or as YAML (:mod:`hpman_cst.listing` makes the text)."""

from __future__ import annotations

import click

from ...listing import Listing, listing
from ...records import FileIndex, ProblemCode
from ...registry import build_registry
from ...render import FORMATS
from ...scan import paused_gc
from ..memo import library_fingerprint, remembered
from ..options import ScanOptions, scan_options
from ..output import echo, echo_err

__all__ = ["COMMANDS", "list_command"]


@click.command("list")
@click.option(
    "--format",
    "format_",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table: one row per name; detail: every occurrence with its source;"
    " json: everything, for tools; yaml: name: value, for --hp-load.",
)
@click.option(
    "--name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this hyper-parameter (or the group of dotted names under it). Repeatable.",
)
@click.option("-q", "--quiet", is_flag=True, help="Say nothing when nothing is found.")
@scan_options
def list_command(format_: str, names: tuple[str, ...], quiet: bool, scan: ScanOptions) -> int:
    """List every hyper-parameter under PATHS (default: the current folder).

    Problems (files that do not parse, calls that are not valid, conflicting defaults)
    are printed as `path:line:column: message` on stderr, the rest is still listed, and
    the exit status is 1.

    \b
    Examples:
      hpman list src tests/conftest.py --exclude "*_pb2.py"
      hpman list --name optim --format yaml   only optim.*, as a file --hp-load reads
      hpman list --format detail --name lr    every occurrence, with its source
    """
    with paused_gc():  # a short run over acyclic records: see paused_gc
        output = _list(scan, format_, names)
    if quiet:
        output = output.without_nothing_found()
    echo(output.stdout)
    echo_err(output.stderr)
    return output.exit_code


def _list(scan: ScanOptions, format: str, names: tuple[str, ...]) -> Listing:
    found = scan.discover()
    prepared = scan.scan(found.files)

    def compute() -> Listing:
        indexes = prepared.run(scan.jobs)
        read = sum(
            1 for i in indexes if all(p.code is not ProblemCode.UNREADABLE for p in i.problems)
        )
        indexes += [FileIndex(p.path, problems=(p,)) for p in found.problems]
        return listing(build_registry(indexes), format, names, read, scan.placeholders)

    if prepared.digest is None:  # no cache
        return compute()
    options = (*scan.paths, "", *scan.placeholders, format, "", *names)
    key = (prepared.digest, library_fingerprint(format), *(str(p) for p in found.problems))
    return remembered(options, key, compute, Listing)


COMMANDS = (list_command,)
