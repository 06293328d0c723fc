"""``python -m dlhomework``: the command line of :mod:`dlhomework.cli`."""

from dlhomework.cli import main

if __name__ == "__main__":  # not when imported, e.g. by pytest --doctest-modules
    raise SystemExit(main())
