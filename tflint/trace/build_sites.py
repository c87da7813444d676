"""Where the user's code built each Keras operation, and which operation made each graph op.

A functional Keras model replays its graph from Keras's own code: the ops of a traced model
carry no frame of the lines that wrote `x[:, None, :]` or `layers.Dense(8)(x)`. So, while the
user's file is imported and its factories run, every symbolic call (a `keras.src.ops.node.Node`)
records the project frames of its stack; and while tflint traces a model, each Keras operation
call records the range of graph op ids it created. A graph op then leads to the innermost
operation that created it, and that operation to the lines that built it.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass, field

from tflint.trace.frames import stack_frames


@dataclass
class Sites:
    """What one file's import and trace recorded."""

    built: dict[int, list[tuple[str, int]]] = field(default_factory=dict)  # id(operation) -> frames
    operations: list = field(default_factory=list)  # keeps the operations alive, so ids stay theirs
    # graph -> [(first, last graph version, operation)]: the ops a call added, in the order the calls
    # ended (innermost first)
    made: dict[int, list[tuple[int, int, object]]] = field(default_factory=dict)

    def files(self) -> set[str]:
        return {path for frames in self.built.values() for path, _ in frames}

    def lines(self) -> set[tuple[str, int]]:
        return {frame for frames in self.built.values() for frame in frames}

    def build_frames(self, op) -> list[tuple[str, int]]:
        """The frames that built the innermost Keras operation that created graph op `op`."""
        made = op._id - 1  # the graph's `version` once the op was added (measured, TF 2.21)
        for first, last, operation in self.made.get(id(op.graph), ()):
            if first <= made <= last and id(operation) in self.built:
                return self.built[id(operation)]
        return []


@contextlib.contextmanager
def recording_builds(sites: Sites):
    """Record the build site of every Keras operation called symbolically inside the block (nothing
    without Keras 3: a tf_keras-only install, or a stand-in TensorFlow in tests)."""
    try:
        from keras.src.ops.node import Node
    except ImportError:
        Node = None
    if Node is None:  # outside the except block: the file's own errors must not chain to this one
        yield sites
        return
    original = Node.__init__

    def init(node, operation, *args, **kwargs):
        original(node, operation, *args, **kwargs)
        if id(operation) not in sites.built:
            sites.operations.append(operation)
            sites.built[id(operation)] = stack_frames(sys._getframe(1))

    Node.__init__ = init
    try:
        yield sites
    finally:
        Node.__init__ = original


@contextlib.contextmanager
def recording_calls(sites: Sites):
    """Record which graph ops each Keras operation call creates inside the block (a trace)."""
    import tensorflow as tf
    from keras.src.ops.operation import Operation

    original = Operation.__call__

    def call(operation, *args, **kwargs):
        graph = tf.compat.v1.get_default_graph()
        first = graph.version + 1
        try:
            return original(operation, *args, **kwargs)
        finally:
            sites.made.setdefault(id(graph), []).append((first, graph.version, operation))

    Operation.__call__ = call
    try:
        yield sites
    finally:
        Operation.__call__ = original
