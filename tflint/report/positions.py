"""Source spans of a few nodes, computed only for files that have findings.

libcst's PositionProvider records every node of the module and costs about 8x a plain code
generation (docs/FACTS.md). This runs the same code generation, only for the innermost statements
that hold the nodes asked for, entering classes and defs (each statement from the line CPython's
tree says it starts on, indented as its blocks are; a class holding one finding is not generated
whole), and records positions only for those nodes, with libcst's own syntactic rules
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
                 found: dict[cst.CSTNode, tuple[tuple[int, int], tuple[int, int]]], indent: list[str]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline,
                         indent_tokens=list(indent))
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
    holders, headers = _statements_holding(wanted, parent, module)
    found: dict[cst.CSTNode, tuple[tuple[int, int], tuple[int, int]]] = {}
    if module in holders:
        parts = [(module, 1, [])]
    else:
        parts = _parts(module.body, tree.body, set(wanted), holders, headers, [], module.default_indent)
    for part, line, indent in parts:
        part._codegen(_SpanState(module, wanted, line, found, indent))
    return {
        node: Span(start[0], start[1] + 1, end[0], end[1] + 1)
        for node, (start, end) in found.items()
    }


def _statements_holding(wanted: set[cst.CSTNode], parent: Mapping[cst.CSTNode, cst.CSTNode],
                        module: cst.Module) -> tuple[set[cst.CSTNode], set[cst.CSTNode]]:
    """The statements that hold the nodes (the module, for a node outside every statement), and
    those of them that hold one outside their body (a decorator, a base, the def itself)."""
    holders: set[cst.CSTNode] = set()
    headers: set[cst.CSTNode] = set()
    for node in wanted:
        child, up = None, node
        while up is not module:
            if isinstance(up, (cst.BaseCompoundStatement, cst.SimpleStatementLine)):
                holders.add(up)
                if child is None or child is not getattr(up, "body", None):
                    headers.add(up)
            child, up = up, parent.get(up)
            if up is None:
                holders.add(module)
                break
    return holders, headers


def _parts(statements, body: list[ast.stmt], wanted: set[cst.CSTNode], holders: set[cst.CSTNode],
           headers: set[cst.CSTNode], indent: list[str], default_indent: str) -> Iterator[tuple[cst.CSTNode, int, list[str]]]:
    """The innermost statements to generate code for, each with its first line and indentation: a
    class or def is entered (its body's statements matched to CPython's, as at the top level), and
    where a node sits in its header (a name, a decorator, a base), its header is generated alone;
    a class or def asked for itself, and any other statement, is generated whole."""
    for statement, line, node in _statement_lines(statements, body):
        if statement not in holders:
            continue
        block = getattr(statement, "body", None)
        if (isinstance(statement, (cst.ClassDef, cst.FunctionDef)) and statement not in wanted
                and isinstance(block, cst.IndentedBlock)):
            if statement in headers:  # the body written after it cannot move it: an empty one will do
                yield statement.with_changes(body=block.with_changes(body=())), line, indent
            inner = [*indent, default_indent if block.indent is None else block.indent]
            yield from _parts(block.body, node.body, wanted, holders, headers, inner, default_indent)
        else:
            yield statement, line, indent


def _statement_lines(statements, body: list[ast.stmt]) -> Iterator[tuple[cst.BaseStatement, int, ast.stmt]]:
    """Each statement of a block with the line its code starts on (its leading blank and comment
    lines, one line each, before the line CPython gives the matching statement) and CPython's
    statement (`a; b` is two of CPython's)."""
    index = 0
    for statement in statements:
        node = body[index]
        yield statement, first_line(node) - len(statement.leading_lines), node
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
