"""The ``hpman`` command line: parse options, call the library, print what it returns,
exit with a status.

- :mod:`~hpman_cst.cli.app`: the ``hpman`` group, which adds the commands of every module
  of :mod:`hpman_cst.cli.commands` (one module per command group: ``listing``,
  ``refactoring``, ``migrate``, ``check``, ``export``);
- :mod:`~hpman_cst.cli.exits`: the one map from errors to exit statuses (0 clean, 1
  findings or refusal, 2 usage or unreadable input) and their one-line messages;
- :mod:`~hpman_cst.cli.options`: the options of the commands that scan a project;
  :mod:`~hpman_cst.cli.rewrite`: the ``--diff``/``--write``/``--check`` mode and report of
  the rewriting commands; :mod:`~hpman_cst.cli.output`: printing;
  :mod:`~hpman_cst.cli.memo`: whole outputs remembered in the cache.

Adding a command is adding a module to :mod:`hpman_cst.cli.commands` that defines
``COMMANDS``; see the README's Architecture.
"""

from __future__ import annotations

from .app import cli, main

__all__ = ["cli", "main"]
