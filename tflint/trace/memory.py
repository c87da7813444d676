"""What a converted model needs on the device: its size, its weights, its activations (in the worker).

Read from the flatbuffer alone (no interpreter): a tensor whose buffer holds data is a constant
(a weight); every other tensor is an activation, at its shape in the model (a dynamic dimension
at the size the converter recorded, usually 1). The interpreter's arena reuses memory between
tensors whose lifetimes do not overlap, and the Python interpreter does not expose it, so
`activation_bytes` (the sum) is an upper bound of the arena.
"""

from __future__ import annotations

from tensorflow.lite.python import schema_py_generated as schema

# bits per element; 0 for types whose size is not fixed (strings, resources, variants)
_BITS = {"FLOAT32": 32, "FLOAT16": 16, "BFLOAT16": 16, "INT32": 32, "UINT8": 8, "INT64": 64, "BOOL": 8,
         "INT16": 16, "COMPLEX64": 64, "INT8": 8, "FLOAT64": 64, "COMPLEX128": 128, "UINT64": 64,
         "UINT32": 32, "UINT16": 16, "INT4": 4, "INT2": 2, "UINT4": 4}
_TYPE_BITS = {value: _BITS.get(name, 0) for name, value in vars(schema.TensorType).items() if not name.startswith("_")}


def footprint(flatbuffer: bytes) -> dict:
    """`{"model_bytes", "weight_bytes", "activation_bytes"}` of one converted model."""
    model = schema.Model.GetRootAsModel(flatbuffer, 0)
    weights = activations = 0
    for g in range(model.SubgraphsLength()):
        subgraph = model.Subgraphs(g)
        for t in range(subgraph.TensorsLength()):
            tensor = subgraph.Tensors(t)
            buffer = model.Buffers(tensor.Buffer()) if tensor.Buffer() < model.BuffersLength() else None
            stored = _stored_bytes(buffer)
            if stored:
                weights += stored
            else:
                elements = 1
                for d in tensor.ShapeAsNumpy() if tensor.ShapeLength() else ():
                    elements *= max(int(d), 1)
                activations += elements * _TYPE_BITS.get(tensor.Type(), 0) // 8
    return {"model_bytes": len(flatbuffer), "weight_bytes": weights, "activation_bytes": activations}


def _stored_bytes(buffer) -> int:
    """Bytes of a buffer's data: inline, or (models over 2 GB) at an offset after the flatbuffer."""
    if buffer is None:
        return 0
    return buffer.DataLength() or (buffer.Size() if buffer.Offset() > 1 else 0)
