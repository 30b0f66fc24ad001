"""Compare the ast index with the libcst visitor on one file (shared by the differential
tests; a plain module so that worker processes can import it)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import libcst as cst
from cst_sites_finder import CstSites, default_code, find_sites

from hpman_cst.cst.sites import RoundTripError, parse_text
from hpman_cst.exceptions import SourceDecodeError
from hpman_cst.index import index_bytes
from hpman_cst.records import ApiRef, FileIndex, Occurrence
from hpman_cst.source import decode

Row = tuple[object, ...]


class Outcome(str, enum.Enum):
    """How a file came out of the comparison."""

    COMPARED = "compared"  # both parsed; sites compared
    BOTH_REJECT = "both reject"  # neither decodes/parses the file
    LIBCST_CANNOT_PARSE = "libcst cannot parse a file ast can"
    LIBCST_ACCEPTS_INVALID = "libcst parses a file ast rejects"
    TOO_DEEP = "libcst recursion limit"


@dataclass
class Comparison:
    """The result for one file; ``index_rows == cst_rows`` when the parsers agree."""

    path: str
    outcome: Outcome
    round_trip_exact: bool = True
    index_rows: list[Row] = field(default_factory=list)
    cst_rows: list[Row] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return self.index_rows == self.cst_rows


def index_rows(index: FileIndex) -> list[Row]:
    """Comparable rows of an index: occurrences in source order, API refs, problems."""
    rows: list[Row] = [
        ("site", o.placeholder, o.name, o.default, repr(o.value), repr(o.hints))
        for o in sorted(index.occurrences, key=Occurrence.sort_key)
    ]
    rows += [
        ("api", r.placeholder, r.method, r.name, r.form.value, r.scope, r.group)
        for r in sorted(index.api_refs, key=ApiRef.sort_key)
    ]
    rows += sorted(("problem", p.code.value, p.message) for p in index.problems)
    rows += sorted(("dynamic", r.placeholder, r.method) for r in index.dynamic_refs)
    return rows


def cst_rows(found: CstSites) -> list[Row]:
    """The same rows from the libcst visitor's sites."""
    module = found.module
    rows: list[Row] = [
        (
            "site",
            s.placeholder,
            s.name,
            default_code(module, s),
            repr(s.value),
            repr(s.hint_values),
        )
        for s in found.sites
    ]
    rows += [
        (
            "api",
            r.placeholder,
            r.method,
            r.name,
            r.literal.form.value,
            r.literal.scope,
            r.literal.group,
        )
        for r in found.api_refs
    ]
    rows += sorted(("problem", p.code.value, p.message) for p in found.problems)
    rows += sorted(("dynamic", placeholder, method) for placeholder, method in found.dynamic_refs)
    return rows


def compare_bytes(data: bytes, path: str, placeholder: str | frozenset[str] = "_") -> Comparison:
    """Index ``data`` with both parsers (no textual pre-check) and compare."""
    index = index_bytes(data, path, placeholder, precheck=False)
    try:
        text, encoding = decode(data, path)
    except SourceDecodeError:
        assert not index.parsed
        return Comparison(path, Outcome.BOTH_REJECT)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        outcome = Outcome.LIBCST_CANNOT_PARSE if index.parsed else Outcome.BOTH_REJECT
        return Comparison(path, outcome)
    except RecursionError:
        return Comparison(path, Outcome.TOO_DEEP)
    if not index.parsed:
        return Comparison(path, Outcome.LIBCST_ACCEPTS_INVALID)
    exact = True
    try:
        parse_text(text, path, encoding)
    except RoundTripError:
        exact = False
    try:
        found = find_sites(module, placeholder)
    except RecursionError:
        return Comparison(path, Outcome.TOO_DEEP, exact)
    return Comparison(path, Outcome.COMPARED, exact, index_rows(index), cst_rows(found))


def compare_file(args: tuple[str, str | frozenset[str]]) -> Comparison:
    """:func:`compare_bytes` on a file (``(path, placeholder)``, for a process pool)."""
    path, placeholder = args
    with open(path, "rb") as handle:
        return compare_bytes(handle.read(), path, placeholder)
