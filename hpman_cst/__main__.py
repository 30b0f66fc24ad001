"""``python -m hpman_cst`` runs the ``hpman`` command."""

from .cli import main

if __name__ == "__main__":
    main()
