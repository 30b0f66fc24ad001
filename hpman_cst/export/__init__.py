"""Exports of a project's hyper-parameters to other tools: a JSON Schema for run files
(:mod:`.jsonschema`), a W&B sweep config (:mod:`.wandb`) and typed stubs (:mod:`.stubs`).
Optuna is served at run time by :mod:`hpman_cst.sweeps`.

Every export reads one :class:`~.model.Entry` per name (:mod:`.model`); a hint an export
cannot carry is an :class:`~.model.Unmapped` record (rule ``X001``) and the name is left
out of that export. Stdlib only.
"""
