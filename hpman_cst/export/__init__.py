"""Exports of a project's hyper-parameters to other tools: a JSON Schema for run files
(:mod:`.jsonschema`) and a W&B sweep config (:mod:`.wandb`).

Every export reads one :class:`~.model.Entry` per name (:mod:`.model`); a hint an export
cannot carry is an :class:`~.model.Unmapped` record (rule ``X101``) and the name is left
out of that export. Stdlib only.
"""
