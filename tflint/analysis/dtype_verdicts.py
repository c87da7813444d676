"""The verdict of a call whose input dtype can change it (`tf.abs` fails with builtins on int64).

- The code fixes the dtype (tflint/analysis/dtypes.py): that dtype's verdict. A dtype's own
  failures are trusted for int64, int8 and uint8 only (DTYPES_JUDGED); int32 and bool are
  the dtypes of shapes and indices, whose arithmetic the converter often folds. A dtype that
  only removes failures (int32 `keras.ops.argmax` converts) is trusted for every dtype.
- The dtype is unknown and float32 (what a Keras user gets) fails:
  - every dtype the API accepted fails too: the float32 verdict, whatever the dtype;
  - some dtype converts: the float32 verdict, `unsure` ("unless x is int32 ...").
- The dtype is unknown and float32 converts: the float32 verdict (silence), unless some paths
  to the tensor give a dtype that fails (a parameter one call passes int64, another something
  unknown): that dtype's verdict, `unsure` ("if x is int64 ...").

An `unsure` verdict is reported as a warning that names the condition, never as an error.
"""

from __future__ import annotations

import dataclasses
from typing import Collection, Mapping

import libcst as cst

from tflint.analysis.dtypes import dtypes_of, fixed
from tflint.context import Context
from tflint.knowledge import DTYPE_PROBED_TARGETS, FAILS, Entry, Verdict



def dtype_verdict(ctx: Context, entry: Entry, tensor: cst.CSTNode | None, param: str,
                  args: Mapping[str, str], given: Collection[str]) -> Verdict:
    """The verdict for a call of `entry` whose first tensor argument is `tensor` (parameter `param`)."""
    decided = entry.verdict(args, given)
    if decided is not entry.base or tensor is None:
        return decided  # an argument value or a call form decided
    default, variants = entry.default(), entry.judged_dtypes()
    if all(_fails(v) == _fails(default) for v in variants.values()):
        return default  # no dtype the verdicts are trusted on changes it
    seen = dtypes_of(ctx, tensor)
    known = fixed(seen)
    if known is not None:
        return variants.get(known, default)
    if _fails(default):
        converting = [d for d, v in variants.items() if not _fails(v)]
        if not converting:
            return default
        return dataclasses.replace(default, unsure=f"unless {param} is {_either(converting)}; {param}'s dtype is "
                                                  f"not known here (float32 fails)")
    failing = [d for d, v in variants.items() if d in seen and _fails(v)]
    if not failing:
        return default
    dtype = failing[0]
    return dataclasses.replace(variants[dtype], unsure=f"if {param} is {dtype} (some paths here give {dtype}; "
                                                       f"{param}'s dtype is not fixed)")


def _fails(verdict: Verdict) -> bool:
    return any(verdict.status[k] == FAILS for k in DTYPE_PROBED_TARGETS)


def _either(dtypes: list[str]) -> str:
    return dtypes[0] if len(dtypes) == 1 else ", ".join(dtypes[:-1]) + f" or {dtypes[-1]}"
