"""libcst's tree of a long file, parsed in pieces at top-level statements, is the tree of the whole file."""

import ast
from pathlib import Path
from unittest import mock

import libcst as cst
import pytest

from tflint.source import parsing

ROOT = Path(__file__).resolve().parents[2]
TRICKY = [
    "x = 1; y = 2\nz = 3\n" * 3,
    "def f():\n    return 1\n    # owned by f's block\n# owned by g\n\ndef g():\n    pass\n" * 2,
    "@dec\n# between decorators\n@dec2\nclass A:\n  x = 1\n\n\n@dec\ndef f(): pass\n" * 2,
    "import a\nimport b\n\nif x:\n\ty = 1\nelif z:\n\ty = 2\nelse:\n\tpass\n",  # tabs: detected from a later piece
    "x = 1\r\n\r\n# c\r\ny = (1,\r\n     2)\r\nclass A:\r\n    pass\r\n",
    "x = 1\ry = 2\rdef f():\r    pass\r",  # lone CRs: not split
    "x = '''\nnot a statement\n'''\ny = 2  # trailing\n\n\n",
    "try:\n    pass\nexcept E:\n    pass\nfinally:\n    pass\nwhile x:\n    break\nelse:\n    pass\n",
]
SOURCES = [*(p.read_text() for p in sorted((ROOT / "fixtures").glob("*.py"))),
           *(p.read_text() for p in sorted((ROOT / "tflint").rglob("*.py"))), *TRICKY]


def assert_same_tree(source: str) -> None:
    with mock.patch.object(parsing, "_PIECE_CHARS", 8):  # a piece per statement wherever allowed
        pieces = parsing.parse_checked(source, ast.parse(source))
    whole = cst.parse_module(source)
    assert pieces.code == whole.code  # (libcst itself drops a last lone CR)
    assert pieces.deep_equals(whole)


@pytest.mark.parametrize("source", SOURCES, ids=range(len(SOURCES)))
def test_pieces_join_into_the_tree_of_the_whole_file(source):
    assert_same_tree(source)


def test_long_files_are_split_and_short_ones_are_not():
    long = "import tensorflow as tf\n\n" + "def f(x):\n    return tf.nn.relu(x)\n\n\n" * 2000
    assert len(parsing._cuts(long, ast.parse(long))) > 3
    assert parsing._cuts(SOURCES[0], ast.parse(SOURCES[0])) == []


@pytest.mark.parametrize("source", SOURCES, ids=range(len(SOURCES)))
def test_the_unvalidated_parse_gives_libcsts_own_tree(source):
    assert parsing.parse(source).deep_equals(cst.parse_module(source))


def test_nodes_built_after_a_parse_are_validated_again():
    parsing.parse("x = 1\n")
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not a name")
