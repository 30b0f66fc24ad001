"""The writing path of the refactoring commands, one step per module:
:mod:`.edits` (the records), :mod:`.plan` (commands -> edits), :mod:`.materialise`
(edits -> exact new text), :mod:`.prove` (a prover per file kind), :mod:`.execute`
(materialise and prove every file, through the one process pool) and :mod:`.write`
(atomic, all or nothing)."""
