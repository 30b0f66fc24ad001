"""Each rule of ``hpman check`` added for issue 14 has a fixture folder that fires it
(``fixtures/check/<CODE>-fires``: the exact code, line and column in ``expected.txt``) and
a near miss that does not (``<CODE>-near-miss``). ``args.json`` gives ``--select`` and the
``--config`` runs; the command runs inside the folder. ``HPMAN_UPDATE_FIXTURES=1`` rewrites
``expected.txt``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_runner import runner

from hpman_cst.checking import CheckProject, check
from hpman_cst.cli import cli
from hpman_cst.index import index_file
from hpman_cst.lint import catalog
from hpman_cst.lint.rule import Rule
from hpman_cst.lint.select import Selection
from hpman_cst.registry import build_registry

CASES = Path(__file__).resolve().parent.parent / "fixtures" / "check"
UPDATE = os.environ.get("HPMAN_UPDATE_FIXTURES") == "1"
FOLDERS = sorted(p for p in CASES.iterdir() if p.is_dir() and p.name[:1].isupper())


def _run(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    args = json.loads((folder / "args.json").read_text())
    monkeypatch.chdir(folder)
    command = ["check", "--no-cache", "--select", args["select"]]
    for config in args.get("config", ()):
        command += ["--config", config]
    result = runner().invoke(cli, [*command, "."])
    return result.exit_code, result.stdout


@pytest.mark.fixtures
@pytest.mark.parametrize("folder", [pytest.param(f, id=f.name) for f in FOLDERS])
def test_rule_fixture(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = folder.name.partition("-")[0]
    exit_code, output = _run(folder, monkeypatch)
    expected = folder / "expected.txt"
    if UPDATE:
        expected.write_text(output)
    assert output == expected.read_text()
    lines = output.splitlines()
    if folder.name.endswith("-fires"):
        assert [line.split(" ")[1] for line in lines[:-1]] == [code] * (len(lines) - 1)
        assert len(lines) >= 2
        severity = catalog.by_code(code).severity.value
        assert exit_code == (0 if severity == "info" else 1)
    else:
        assert (exit_code, lines) == (0, ["All checks passed."])


def test_every_new_rule_has_both_fixtures() -> None:
    names = {f.name for f in FOLDERS}
    new = [r.code for r in catalog.RULES if r.code[0] in "CDHNR" and f"{r.code}-fires" in names]
    for code in new:
        assert f"{code}-near-miss" in names
    assert len(new) >= 13


@pytest.mark.parametrize(
    "rule",
    [pytest.param(r, id=r.code) for r in catalog.RULES if r.code[0] in "CDHN"],
)
def test_the_doc_example_fires_its_rule(rule: Rule, tmp_path: Path) -> None:
    if rule.code in ("F003",):
        pytest.skip("not Python source")
    path = tmp_path / "example.py"
    path.write_text(rule.example)
    project = CheckProject(build_registry([index_file(str(path))]), (str(path),))
    found = check(project, Selection(select=(rule.code,)))
    assert found and {f.code for f in found} == {rule.code}
    assert rule.doc.startswith(f"{rule.code} {rule.name} ({rule.severity.value})\n")


def test_the_readme_lists_every_rule_with_its_example() -> None:
    readme = (CASES.parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in catalog.RULES:
        assert f"- `{rule.code}` {rule.name} ({rule.severity.value}): {rule.summary}" in readme
        example = "\n".join(f"  {line}" if line else "" for line in rule.example.splitlines())
        assert example in readme, rule.code


def test_hpman_rule_prints_the_doc_and_lists_all(monkeypatch: pytest.MonkeyPatch) -> None:
    one = runner().invoke(cli, ["rule", "n001"])
    assert (one.exit_code, one.stdout) == (0, catalog.by_code("N001").doc)
    every = runner().invoke(cli, ["rule", "--all"])
    assert every.exit_code == 0
    assert [line.split()[0] for line in every.stdout.splitlines() if line.startswith("  ")] == [
        r.code for r in catalog.RULES
    ]
    unknown = runner().invoke(cli, ["rule", "D01"])
    assert unknown.exit_code == 2 and "did you mean `D001`" in unknown.stderr
    assert runner().invoke(cli, ["rule"]).exit_code == 2
