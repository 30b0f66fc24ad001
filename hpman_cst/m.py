"""``from hpman_cst.m import _``: the process-wide manager whose placeholder is ``_``.

Any other name works the same way (PEP 562): ``from hpman_cst.m import hp`` gives the
cached manager for the placeholder ``hp``; ``import ... as`` does not change the
placeholder (it is the attribute's name). Dunder names (``__wrapped__``, ``__path__``...)
are ordinary missing attributes, so tools probing the module create no managers; names
made only of underscores (``__``, ``___``) are managers, as in hpman.

Stdlib only at import time.
"""

from __future__ import annotations

from . import runtime as __runtime__

_: __runtime__.HyperParameterManager = __runtime__.manager_for("_")
__runtime__.watch_ipython()  # in IPython, `_` stays the manager after displayed outputs


def __getattr__(name: str) -> __runtime__.HyperParameterManager:
    if name.startswith("__") and name.endswith("__") and name.strip("_"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return __runtime__.manager_for(name)


# Every module global is a name no manager can have: drop the __future__ feature.
del annotations
