"""What ``hpman list`` prints for a registry, as strings: stdout, the stderr lines and the
exit status (problems found: 1). Pure apart from reading the listed files' source for
``--format detail``; the command line prints it (:mod:`hpman_cst.cli.commands.listing`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .detail_table import file_lines
from .exceptions import did_you_mean
from .registry import Registry
from .render import error_lines, rebound_lines, render

__all__ = ["NOTHING_FOUND", "Listing", "listing", "nothing_found"]


@dataclass(frozen=True)
class Listing:
    """The output of one ``hpman list`` run: picklable, so that it can be remembered
    whole (:class:`hpman_cst.cache.OutputMemo`)."""

    stdout: str
    stderr: tuple[str, ...]
    exit_code: int

    def without_nothing_found(self) -> Listing:
        """This output without the note :func:`nothing_found` writes (``-q``)."""
        kept = tuple(line for line in self.stderr if not line.startswith(NOTHING_FOUND))
        return Listing(self.stdout, kept, self.exit_code)


def listing(
    registry: Registry,
    format: str,
    names: Sequence[str],
    files: int = 0,
    placeholders: Sequence[str] = ("_",),
) -> Listing:
    """The listing of ``registry`` (only ``names`` and the groups under them, if given)
    in ``format``; ``files`` is how many files were read, for the note when nothing is
    found. Exit status 1 when the registry holds problems or a name is unknown."""
    stderr: list[str] = []
    if not registry.parameters and not names:
        stderr.append(nothing_found(files, placeholders))
    if names:
        for name in names:
            if registry.get(name) is None and not registry.select([name]).parameters:
                hint = did_you_mean(name, registry.names)
                stderr.append(f"hpman: no hyper-parameter named `{name}`{hint}")
        registry = registry.select(names)
    sources: dict[str, list[str]] = {}
    if format == "detail":
        paths = sorted({o.path for p in registry.parameters for o in p.occurrences})
        sources = {path: lines for path in paths if (lines := file_lines(path)) is not None}
    stdout = render(registry, format, sources)
    problems = error_lines(registry)
    failed = bool(problems) or (bool(names) and bool(stderr))
    notes = rebound_lines(registry)  # not errors: the exit status is unchanged
    return Listing(stdout, tuple(problems + notes + stderr), 1 if failed else 0)


#: The start of the note :func:`nothing_found` writes (``-q`` leaves it out).
NOTHING_FOUND = "hpman: no hyper-parameters found in "


def nothing_found(files: int, placeholders: Sequence[str]) -> str:
    """The note for a listing that found nothing in ``files`` files."""
    looked_for = ", ".join(f"`{p}`" for p in placeholders)
    return (
        f"{NOTHING_FOUND}{files} file{'s' * (files != 1)} read (looked for calls of"
        f" {looked_for}); if the manager has another name, pass --placeholder NAME"
    )
