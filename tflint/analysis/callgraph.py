"""Breadth-first reach over a call graph, shared by the in-file reach (reach.py) and the project index.

Code runs in one of two contexts: in the converted graph (a layer's `call`, a model's builder), or
at construction, eagerly, when a Keras object is created (its `__init__` and what that calls), whose
ops become constants of the model (measured: tests/converter/test_rule_evidence_models.py). An
edge keeps the caller's context (a call) or sets one: creating an object runs its constructor at
construction; Keras runs its `call` and `build` in the graph; a function a constructor keeps for
later may run in the graph.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

GRAPH, CONSTRUCTION = "graph", "construction"
# node -> (callee, edge, the context the callee runs in, or None for the caller's)
Edges = Callable[[Any], Iterable[tuple[Any, Any, str | None]]]


def spread(reached: dict, start: Iterable, edges_of: Edges) -> None:
    """Breadth-first from `start`, whatever the contexts: each node reached keeps the edge that first reached it."""
    queue = deque(start)
    while queue:
        for callee, edge, _ in edges_of(queue.popleft()):
            if callee not in reached:
                reached[callee] = edge
                queue.append(callee)


def walk(graph_roots: Iterable[dict], constructors: dict, edges_of: Edges) -> tuple[dict, set]:
    """Every node the roots reach -> the edge (or the root's value) that reached it, and the nodes reached
    only at construction. Root dicts are walked in order (constructors last): an earlier one's chains win."""
    found: dict[str, dict] = {GRAPH: {}, CONSTRUCTION: {}}
    queues: dict[str, deque] = {GRAPH: deque(), CONSTRUCTION: deque()}

    def add(node, value, context: str) -> None:
        if node not in found[context]:
            found[context][node] = value
            queues[context].append(node)

    for roots, context in [*((roots, GRAPH) for roots in graph_roots), (constructors, CONSTRUCTION)]:
        for node, value in roots.items():
            add(node, value, context)
        while queues[GRAPH] or queues[CONSTRUCTION]:
            context = GRAPH if queues[GRAPH] else CONSTRUCTION
            for callee, edge, runs in edges_of(queues[context].popleft()):
                add(callee, edge, runs or context)
    reached = found[GRAPH]
    only = {node for node in found[CONSTRUCTION] if node not in reached}
    for node in only:
        reached[node] = found[CONSTRUCTION][node]
    return reached, only
