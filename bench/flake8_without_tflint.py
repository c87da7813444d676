"""Run the installed flake8 with every plugin it finds except tflint's `TFL`.

The benchmark runs `python -m flake8` (with the plugin) and this script (without it) in the
same interpreter, so the difference between the two is what the plugin costs.
"""

import sys

from flake8.main.cli import main
from flake8.plugins import finder

_find_all = finder._find_importlib_plugins
finder._find_importlib_plugins = lambda: (p for p in _find_all() if p.package != "tflint")

if __name__ == "__main__":
    sys.exit(main())
