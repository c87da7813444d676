"""tflint: find where TensorFlow/Keras model code breaks or degrades when converted to TFLite.

The pipeline, by stage: source/ (find, read, decode, prefilter, parse), walk.py (one walk over
libcst's tree: parents, scopes, the nodes rules asked for), analysis/ (names, arguments, model
code, folding, reach), the rules (rules/ in the repository, `tflint.rules` here, written against
api.py), report/ (diagnostics, positions, formats), frontends/ (CLI, flake8 plugin, result
cache); knowledge/ holds the op knowledge and what each target means to the converter; trace/
really converts (`--trace`). engine.py runs the stages for one file.
"""

import importlib.util
import sys
from pathlib import Path

__version__ = "0.1.0"

_CHECKOUT_RULES = Path(__file__).resolve().parent.parent / "rules"


class _CheckoutRules:
    """In a plain checkout, rules/ beside this package is `tflint.rules`, as pyproject.toml's
    package-dir maps it in an install. First on the meta path: another checkout's editable
    install must not lend its rules to this checkout's engine."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "tflint.rules":
            return None
        return importlib.util.spec_from_file_location(
            name, _CHECKOUT_RULES / "__init__.py", submodule_search_locations=[str(_CHECKOUT_RULES)])


if not (Path(__file__).parent / "rules").exists() and (_CHECKOUT_RULES / "__init__.py").is_file():
    sys.meta_path.insert(0, _CheckoutRules)
