"""One word everywhere: "hyper-parameter", in messages, help texts and the README.

Two spellings stay on purpose: the JSON key ``"hyperparameters"`` of ``hpman list
--format json`` (a schema tools read) and ``All hyperparameters:``, the header of hpman's
own ``detail`` listing, which ``--hp-list detail`` reproduces."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "hyperparameter", "hyper parameter", "Hyperparameters"..., but not the class names
# (HyperParameterManager), identifiers (hyper_parameter_owner) nor the two kept spellings.
OTHER_SPELLING = re.compile(r"\b[Hh]yper ?parameter")
KEPT = ('"hyperparameters"', "`hyperparameters`", "All hyperparameters:")


def _files() -> list[Path]:
    found = [*sorted((ROOT / "hpman_cst").rglob("*.py")), ROOT / "README.md"]
    found += sorted((ROOT / "tests").glob("*.py")) + sorted((ROOT / "fixtures").rglob("*.txt"))
    return [p for p in found if p.name != "test_wording.py"]


def test_one_spelling_of_hyper_parameter() -> None:
    offending = []
    for path in _files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for kept in KEPT:
                line = line.replace(kept, "")
            if OTHER_SPELLING.search(line):
                offending.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offending == []
