"""What each op of a converted .tflite needs, per target: the trace report's op table (no TensorFlow).

The worker records a converted model's ops as the flatbuffer names them (convert.py: model_ops):
builtin ops in capitals (FULLY_CONNECTED), Select TF ops as `Flex` + the TF op (FlexErfinv), any
other custom op by its custom code. A builtin op has a TFLite kernel: it runs under builtins,
select (builtins plus Flex) and gpu (judged as builtins: tflint/knowledge/targets.py); whether it
has an int8 kernel is known only from a conversion for int8. A Select TF op runs under select;
elsewhere the op knowledge's verdict on that TF op (its `tf.raw_ops` API) decides, with the
converter's evidence, and without one it is unknown. Another custom op needs the app's own kernel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tflint.knowledge import CONVERTER_TARGET, CONVERTS, TARGETS, UNKNOWN, Knowledge

BUILTIN, SELECT, CUSTOM = "builtin", "Select TF op", "custom"
_BUILTIN_NAME = re.compile(r"[A-Z][A-Z0-9_]*")


@dataclass(frozen=True)
class OpSupport:
    op: str
    kind: str  # BUILTIN, SELECT or CUSTOM
    status: dict[str, str]  # target -> converts | fails | float | unknown
    evidence: dict[str, str] = field(default_factory=dict)  # target -> why, where the status is not plain


def op_support(op: str, converted_for: str, known: Knowledge) -> OpSupport:
    """`op` of a model converted for the target `converted_for`."""
    if _BUILTIN_NAME.fullmatch(op):
        int8 = CONVERTS if CONVERTER_TARGET[converted_for] == "int8" else UNKNOWN
        return OpSupport(op, BUILTIN, {**dict.fromkeys(TARGETS, CONVERTS), "int8": int8},
                         {} if int8 == CONVERTS else {"int8": "not converted for int8 here"})
    if op.startswith("Flex"):
        return _select_op(op, known)
    return OpSupport(op, CUSTOM, dict.fromkeys(TARGETS, UNKNOWN),
                     dict.fromkeys(TARGETS, "a custom op: the app must register its kernel"))


def _select_op(op: str, known: Knowledge) -> OpSupport:
    tf_op = op.removeprefix("Flex")
    entry = known.entry(f"tf.raw_ops.{tf_op}")
    status, evidence = {}, {}
    for target in TARGETS:
        if CONVERTER_TARGET[target] == "select":
            status[target] = CONVERTS
        elif entry is None:
            status[target], evidence[target] = UNKNOWN, f"no op knowledge of tf.raw_ops.{tf_op}"
        else:
            status[target], evidence[target] = entry.base.on(target), entry.base.evidence_on(target)
    return OpSupport(op, SELECT, status, {t: e for t, e in evidence.items() if e})
