"""Source spans of a few nodes, computed only for files that have findings.

libcst's PositionProvider records every node of the module and costs about 8x a plain code
generation (docs/FACTS.md). This runs the same code generation, only for the top-level statements
that hold the nodes asked for (each from the line CPython's tree says it starts on), and
records positions only for those nodes, with libcst's own syntactic rules
(record_syntactic_position), so the spans equal PositionProvider's; tests/unit/test_positions.py
checks that, and so catches a libcst release that changes the code generation state this
subclasses. That class is not in libcst's public API; the public way, PositionProvider run on
each statement that holds a finding, took 23 s instead of 2.8 s for the spans of the
benchmark's 1 MB file (2,244 findings), so the private class stays, with libcst pinned below 2.
"""

from __future__ import annotations

import ast
from contextlib import contextmanager, nullcontext
from typing import Iterable, Iterator, Mapping

import libcst as cst
from libcst._nodes.internal import CodegenState

from tflint.report.diagnostics import Span
from tflint.source.parsing import first_line


_NOTHING = nullcontext()


class _SpanState(CodegenState):
    def __init__(self, module: cst.Module, wanted: set[cst.CSTNode], line: int,
                 found: dict[cst.CSTNode, tuple[tuple[int, int], tuple[int, int]]]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = wanted
        self.found = found
        self._line = line
        self._col = 0
        self._scanned = 0

    def _position(self) -> tuple[int, int]:
        tokens = self.tokens
        text = "".join(tokens[self._scanned:])  # the code written since the last position asked for
        breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
        if breaks:
            self._line += breaks
            self._col = len(text) - max(text.rfind("\n"), text.rfind("\r")) - 1
        else:
            self._col += len(text)
        self._scanned = len(tokens)
        return self._line, self._col

    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ):
        # libcst asks this of every node: a shared do-nothing context for the nodes not asked for
        # saves building a generator-based one each time (a third of the code generation's time).
        if node not in self.wanted:
            return _NOTHING
        return self._record(node, start_node, end_node)

    @contextmanager
    def _record(self, node: cst.CSTNode, start_node: cst.CSTNode | None,
                end_node: cst.CSTNode | None) -> Iterator[None]:
        for hint in (start_node, end_node):
            if hint is not None:
                self.wanted.add(hint)
        start = self._position()
        yield
        end = self._position()
        if start_node is not None and start_node in self.found:
            start = self.found[start_node][0]
        if end_node is not None and end_node in self.found:
            end = self.found[end_node][1]
        self.found[node] = (start, end)


def spans(module: cst.Module, nodes: Iterable[cst.CSTNode], parent: Mapping[cst.CSTNode, cst.CSTNode],
          tree: ast.Module) -> dict[cst.CSTNode, Span]:
    """1-based spans (end column exclusive) of `nodes`, which must belong to `module`.

    `parent`: each node's parent (the walk's); `tree`: CPython's parse of the same code.
    """
    wanted = set(nodes)
    tops = {_top_statement(node, parent, module) for node in wanted}
    found: dict[cst.CSTNode, tuple[tuple[int, int], tuple[int, int]]] = {}
    parts = [(module, 1)] if module in tops else [(s, line) for s, line in _statement_lines(module, tree) if s in tops]
    for part, line in parts:
        part._codegen(_SpanState(module, wanted, line, found))
    return {
        node: Span(start[0], start[1] + 1, end[0], end[1] + 1)
        for node, (start, end) in found.items()
    }


def _top_statement(node: cst.CSTNode, parent: Mapping[cst.CSTNode, cst.CSTNode], module: cst.Module) -> cst.CSTNode:
    """The top-level statement that holds `node`; the module for a node outside every statement."""
    while node is not module:
        up = parent.get(node)
        if up is module:
            return node
        if up is None:
            return module
        node = up
    return module


def _statement_lines(module: cst.Module, tree: ast.Module) -> Iterator[tuple[cst.BaseStatement, int]]:
    """Each top-level statement with the line its code starts on: its leading blank and comment lines,
    one line each, before the line CPython gives the matching statement (`a; b` is two of CPython's)."""
    index = 0
    for statement in module.body:
        yield statement, first_line(tree.body[index]) - len(statement.leading_lines)
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
