"""The only modules that import libcst: its parse helpers, the commands' transformers
and the runs of a transformer that prove a Python rewrite (:mod:`.agree`)."""
