"""The commands of ``hpman``, one module per command group.

Each module defines ``COMMANDS``, the click commands it adds to ``hpman``; the group
(:mod:`hpman_cst.cli.app`) adds those of every module here. A command parses its options
(:mod:`hpman_cst.cli.options`, :mod:`hpman_cst.cli.rewrite`), calls the library, prints
the strings it gets back (:mod:`hpman_cst.cli.output`) and returns its exit status; it
raises library errors as they come (:mod:`hpman_cst.cli.exits` maps them).
"""
