"""Source spans of a few nodes, computed only for files that have findings.

libcst's PositionProvider records every node of the module and costs about 8x a plain code
generation (FACTS.md). This runs the same code generation once but records positions only
for the nodes asked for, with libcst's own syntactic rules (record_syntactic_position), so
the spans equal PositionProvider's; tests/test_positions.py checks that.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterable, Iterator

import libcst as cst
from libcst._nodes.internal import CodegenState

from .diagnostics import Span


class _SpanState(CodegenState):
    def __init__(self, module: cst.Module, wanted: set[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.wanted = wanted
        self.found: dict[cst.CSTNode, tuple[tuple[int, int], tuple[int, int]]] = {}
        self._line = 1
        self._col = 0
        self._scanned = 0

    def _position(self) -> tuple[int, int]:
        tokens = self.tokens
        line, col = self._line, self._col
        for i in range(self._scanned, len(tokens)):
            token = tokens[i]
            breaks = token.count("\n") + token.count("\r") - token.count("\r\n")
            if breaks:
                line += breaks
                col = len(token) - max(token.rfind("\n"), token.rfind("\r")) - 1
            else:
                col += len(token)
        self._line, self._col, self._scanned = line, col, len(tokens)
        return line, col

    @contextmanager
    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> Iterator[None]:
        if node not in self.wanted:
            yield
            return
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


def spans(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[cst.CSTNode, Span]:
    """1-based spans (end column exclusive) of `nodes`, which must belong to `module`."""
    state = _SpanState(module, set(nodes))
    module._codegen(state)
    return {
        node: Span(start[0], start[1] + 1, end[0], end[1] + 1)
        for node, (start, end) in state.found.items()
    }
