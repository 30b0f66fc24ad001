"""Rules over a project and the findings they report: :mod:`.rule` (what a rule is),
:mod:`.catalog` (every rule by code), :mod:`.rules` (one module per family of rules)."""
