"""The rule catalog: codes and names are stable and unique, lookups by code, name and
prefix, today's problems and conflicts are rules, and each rule's example fires it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from hpman_cst.index import index_file
from hpman_cst.lint import catalog
from hpman_cst.lint.rule import CODE, NAME, Rule
from hpman_cst.lint.rules import calls, defaults, files
from hpman_cst.records import Finding, ProblemCode, Severity, Span
from hpman_cst.registry import ConflictKind, Registry, build_registry


@dataclass(frozen=True)
class _Project:
    registry: Registry


def test_codes_and_names_have_their_shape_and_are_unique() -> None:
    codes = [rule.code for rule in catalog.RULES]
    names = [rule.name for rule in catalog.RULES]
    assert all(CODE.fullmatch(c) and c[0] in catalog.FAMILIES for c in codes)
    assert all(NAME.fullmatch(n) for n in names)
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    assert codes == sorted(codes, key=lambda c: (list(catalog.FAMILIES).index(c[0]), c))


@pytest.mark.parametrize(
    ("code", "name"),
    [pytest.param(c, n, id=c) for c, n in [("D0001", "x"), ("d001", "x"), ("D001", "Not_Kebab")]],
)
def test_a_rule_refuses_a_code_or_name_of_another_shape(code: str, name: str) -> None:
    with pytest.raises(ValueError, match="rule"):
        Rule(code, name, Severity.INFO, "s", "w", "e", lambda rule, project: ())


def test_every_problem_and_conflict_is_a_rule_named_by_its_stable_string() -> None:
    stable = [c.value for c in ProblemCode] + [k.value for k in ConflictKind]
    assert {s: catalog.by_name(s).name for s in stable} == {s: s for s in stable}


def test_lookup_by_code_name_and_prefix() -> None:
    assert catalog.by_code("D001").name == "different-defaults"
    assert [r.code for r in catalog.matching("D")][:2] == ["D001", "D002"]
    assert [r.code for r in catalog.matching("F00")] == ["F001", "F002", "F003"]
    assert catalog.matching("") == catalog.RULES
    assert catalog.matching("Z") == ()
    with pytest.raises(KeyError, match="did you mean `D001`"):
        catalog.by_code("D01")
    with pytest.raises(KeyError, match="no rule named"):
        catalog.by_name("nothing-like-it")


@pytest.mark.parametrize(
    # the rules over the registry's problems and conflicts (hpman check's own rules have
    # their fixtures in tests/test_check_rules.py)
    "rule",
    [
        pytest.param(r, id=r.code)
        for r in (*files.RULES, *calls.RULES, *defaults.RULES)
        if r.code != "F003"
    ],
)
def test_the_example_of_each_rule_fires_it(rule: Rule, tmp_path: Path) -> None:
    path = tmp_path / "example.py"
    path.write_bytes(rule.example.encode("utf-8"))
    project = _Project(build_registry([index_file(str(path))]))
    found = rule.run(project)
    assert found and {(f.code, f.severity, f.path) for f in found} == {
        (rule.code, rule.severity, str(path))
    }
    assert rule.doc.startswith(
        f"{rule.code} {rule.name} ({rule.severity.value})\n\n{rule.summary}\n"
    )


def test_the_unreadable_file_rule_reports_the_discovery_problem(tmp_path: Path) -> None:
    from hpman_cst.records import Problem

    problem = Problem(ProblemCode.UNREADABLE, "cannot read: permission denied", "t.py")
    (finding,) = catalog.by_code("F003").run(_Project(Registry(problems=(problem,))))
    assert str(finding) == "t.py: F003 cannot read: permission denied"


def test_a_conflict_is_a_finding_at_the_occurrence_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "t.py"
    path.write_text("a = _('lr', 1)\nb = _('lr', 2)\n")
    registry = build_registry([index_file(str(path))])
    (finding,) = catalog.registry_findings(registry)
    assert (finding.code, finding.name, finding.span) == ("D001", "lr", Span(2, 4, 2, 14))
    assert str(finding).startswith(f"{path}:2:5: D001 ")


def test_a_finding_knows_as_much_of_its_place_as_is_given() -> None:
    whole = Finding.at("D001", Severity.ERROR, "t.py", Span(2, 4, 2, 9), "m", name="lr")
    partial = Finding("F002", Severity.ERROR, "t.py", "m", line=3)
    assert (whole.line, whole.column, whole.end_line, whole.end_column) == (2, 4, 2, 9)
    assert (whole.span, partial.span) == (Span(2, 4, 2, 9), None)
    assert (str(whole), str(partial)) == ("t.py:2:5: D001 m", "t.py:3: F002 m")
    assert sorted([whole, partial], key=Finding.sort_key) == [whole, partial]
