"""tflint's lean spans equal libcst PositionProvider's for every node of the types rules report."""

import ast
from pathlib import Path
from unittest import mock

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from tflint.source import parsing
from tflint.report.positions import spans
from tflint.walk import walk

ROOT = Path(__file__).resolve().parents[2]
TRICKY = [
    "a = 1; b = f(x)\n# c\n\n@dec\n# between\n@dec2(y)\ndef g(): return h(z)\nclass C:\n    v = w(1)\n",
    "x = f(\n    a,\n    b)\r\ny = g(é, '''\nmulti\nline''') + h(x)\r\n",
    "class A(B):\n\t@dec\n\tdef call(self, x):\n\t\treturn tf.nn.relu(x) @ w  # comment\n",
    "if True:\n    y = (\n        tf.reshape(x, [tf.shape(x)[0], -1])\n    )\n",
    "s = f'{tf.shape(x)}' + \\\n    u'ünïcode'\nz = [a for a in b if c(a)]\n",
    # classes and defs whose bodies are entered (spans of calls only): comments, `a; b`, decorators,
    # a nested class, a one-line def, tabs, a docstring, blank lines with other indentation
    "class A(B):\n    '''doc'''\n\n    # c\n    x = f(1); y = g(2)\n\n    @dec(k(3))\n    def m(self, a=h(4)):\n"
    "        # inner\n        if a:\n            return p(a)\n        q(a); r(a)\n\n    class In:\n"
    "        def n(self): return s(5)\n          \n        def o(self):\n            return t(6)\n",
    "def outer(x):\n\tdef inner(y):\n\t\treturn u(y)  # c\n\treturn inner(v(x))\nz = w(outer)\n",
]
TYPES = (cst.Call, cst.Attribute, cst.Name, cst.BinaryOperation, cst.Subscript, cst.FunctionDef,
         cst.ClassDef, cst.Assign, cst.AugAssign, cst.List, cst.Lambda)
SOURCES = [*(p.read_text() for p in sorted((ROOT / "fixtures").glob("*.py"))),
           *(p.read_text() for p in sorted((ROOT / "tflint").glob("*.py"))), *TRICKY]


@pytest.mark.parametrize("source", SOURCES, ids=range(len(SOURCES)))
def test_spans_equal_position_provider(source):
    _assert_spans_equal_position_provider(cst.parse_module(source), source)


@pytest.mark.parametrize("source", SOURCES, ids=range(len(SOURCES)))
def test_spans_equal_position_provider_on_a_tree_parsed_in_pieces(source):
    with mock.patch.object(parsing, "_PIECE_CHARS", 8):
        module = parsing.parse_checked(source, ast.parse(source))
    _assert_spans_equal_position_provider(module, source)


@pytest.mark.parametrize("source", SOURCES, ids=range(len(SOURCES)))
def test_spans_of_nodes_inside_defs_equal_position_provider(source):
    """Spans of calls and subscripts alone: the code generated is then only the innermost
    statements that hold them, inside classes and defs, indented as their blocks are."""
    _assert_spans_equal_position_provider(cst.parse_module(source), source, (cst.Call, cst.Subscript))


@pytest.mark.parametrize("source", SOURCES, ids=range(len(SOURCES)))
def test_spans_of_class_and_def_names_equal_position_provider(source):
    """A finding's note may point at a class's name, which the walk does not visit: its header is
    generated alone, and its body entered for the calls inside (it was the whole module: 3 s of
    the benchmark's 1 MB file)."""
    _assert_spans_equal_position_provider(cst.parse_module(source), source, (cst.Call,), names=True)


def _assert_spans_equal_position_provider(module: cst.Module, source: str, types: tuple = TYPES,
                                          names: bool = False) -> None:
    walked = walk(module, types)
    defs = walked.of_type(cst.ClassDef, cst.FunctionDef)
    nodes = [*walked.wanted, *(d.name for d in defs)] if names else walked.wanted
    assert nodes
    ours = spans(module, nodes, walked.parent, ast.parse(source))
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in nodes:
        r = theirs[node]
        span = ours[node]
        assert (span.line, span.col, span.end_line, span.end_col) == (
            r.start.line, r.start.column + 1, r.end.line, r.end.column + 1), module.code_for_node(node)
