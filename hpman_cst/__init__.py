"""hpman-cst: a distributed-centralized hyper-parameter manager and its refactoring tools."""

__version__ = "0.1.0"
