"""Real-world audit on keras-hub: which models really fail to convert to TFLite, and does tflint say so?

    python tools/keras_hub_audit.py label [--only llama,bert]   # needs pip access; builds its own venv
    python tools/keras_hub_audit.py score [--tflint PATH] [--json]

`label` creates (or reuses) build/keras-hub-venv with pinned TensorFlow, keras-hub and ai-edge-litert,
then, inside it, builds each keras-hub model of MODELS from its constructor with a tiny random-weight
config (no presets, no downloads) and converts it with the model's own input shapes (None dimensions
kept) under two targets: `builtins` (TFLITE_BUILTINS) and `select` (+ SELECT_TF_OPS). It writes
tools/data/keras_hub_labels.json: per model and target, whether it converts, the failing ops and the
keras_hub line each failing op comes from, and the keras_hub lines its whole graph was built from.

`score` needs only tflint: it lints keras_hub's `src` folder under both targets and compares the
error findings with the labels (failing ops caught, errors on the code of models that convert).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tools" / "data" / "keras_hub_labels.json"
VENV = ROOT / "build" / "keras-hub-venv"
PINS = ["tensorflow-cpu==2.21.0", "keras-hub==0.32.0", "ai-edge-litert==2.3.0"]
KERAS_HUB_VERSION = PINS[1].split("==")[1]
TARGETS = ("builtins", "select")


def hub(cls: str, **args) -> dict:
    """A keras-hub constructor call: `cls` from keras_hub.models (or keras_hub.layers) with `args`."""
    return {"class": cls, "args": args}


def _vit_det(image_size: int) -> dict:
    return hub("ViTDetBackbone", hidden_size=16, num_layers=2, intermediate_dim=32, num_heads=2,
             global_attention_layer_indices=[1], patch_size=16, num_output_channels=8, window_size=2,
             image_shape=(image_size, image_size, 3))


_RESNET = dict(input_conv_filters=[64], input_conv_kernel_sizes=[7], stackwise_num_filters=[64, 16, 16, 16],
               stackwise_num_blocks=[1, 1, 1, 1], stackwise_num_strides=[1, 2, 2, 2], block_type="basic_block")
_MIT = hub("MiTBackbone", layerwise_depths=[1, 1], num_layers=2, layerwise_num_heads=[1, 2], layerwise_sr_ratios=[8, 4],
         max_drop_path_rate=0.1, layerwise_patch_sizes=[7, 3], layerwise_strides=[4, 2], hidden_dims=[8, 16],
         image_shape=(32, 32, 3))
_DECODER = dict(num_layers=1, hidden_dim=16, intermediate_dim=32)  # the tiny size every text model shares
_GQA = dict(num_query_heads=2, num_key_value_heads=1)

# Tiny configs: one layer, widths of 8-32, so each model builds and converts in seconds. Image sizes are
# fixed only where the constructor requires it (ViT-style position embeddings); text keeps None lengths.
MODELS = {
    "albert": hub("AlbertBackbone", vocabulary_size=64, num_layers=1, num_heads=2, embedding_dim=8, hidden_dim=16,
                intermediate_dim=32),
    "bart": hub("BartBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "bert": hub("BertBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "bloom": hub("BloomBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "clip": hub("CLIPBackbone", projection_dim=8,
              vision_encoder=hub("CLIPVisionEncoder", patch_size=8, hidden_dim=16, num_layers=1, num_heads=2,
                               intermediate_dim=32, image_shape=(32, 32, 3)),
              text_encoder=hub("CLIPTextEncoder", vocabulary_size=64, embedding_dim=16, hidden_dim=16, num_layers=1,
                             num_heads=2, intermediate_dim=32, max_sequence_length=16)),
    "csp_darknet": hub("CSPNetBackbone", stem_filters=8, stem_kernel_size=3, stem_strides=1, stackwise_depth=[1, 1],
                     stackwise_strides=[1, 2], stackwise_num_filters=[8, 16], block_type="dark_block",
                     stage_type="dark"),
    "deberta_v3": hub("DebertaV3Backbone", vocabulary_size=64, num_heads=2, bucket_size=8, **_DECODER),
    # With None height/width, DeepLabV3's UpSampling2D cannot even be traced (a symbolic tensor used as a bool).
    "deeplab_v3": hub("DeepLabV3Backbone", image_encoder=hub("ResNetBackbone", image_shape=(64, 64, 3), **_RESNET),
                    spatial_pyramid_pooling_key="P5", low_level_feature_key="P2", upsampling_size=8,
                    dilation_rates=[6, 12], projection_filters=8, image_shape=(64, 64, 3)),
    "deit": hub("DeiTBackbone", image_shape=(32, 32, 3), patch_size=8, num_layers=1, num_heads=2, hidden_dim=16,
              intermediate_dim=32),
    "densenet": hub("DenseNetBackbone", stackwise_num_repeats=[1, 1], growth_rate=8),
    "depth_anything": hub("DepthAnythingBackbone",
                        image_encoder=hub("DINOV2Backbone", patch_size=14, num_layers=2, hidden_dim=16, num_heads=2,
                                        intermediate_dim=32, image_shape=(28, 28, 3),
                                        position_embedding_shape=(28, 28, 3)),
                        reassemble_factors=[4, 2], neck_hidden_dims=[8, 16], fusion_hidden_dim=8,
                        head_hidden_dim=8, head_in_index=-1, feature_keys=["stage1", "stage2"]),
    "dinov2": hub("DINOV2Backbone", patch_size=14, num_layers=1, hidden_dim=16, num_heads=2, intermediate_dim=32,
                image_shape=(28, 28, 3), position_embedding_shape=(28, 28, 3)),
    "distil_bert": hub("DistilBertBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "efficientnet": hub("EfficientNetBackbone", stackwise_kernel_sizes=[3, 3], stackwise_num_repeats=[1, 1],
                      stackwise_input_filters=[8, 8], stackwise_output_filters=[8, 16],
                      stackwise_expansion_ratios=[1, 4], stackwise_squeeze_and_excite_ratios=[0.0, 0.25],
                      stackwise_strides=[1, 2], stackwise_block_types=["fused", "unfused"],
                      stackwise_width_coefficients=[1.0, 1.0], stackwise_depth_coefficients=[1.0, 1.0],
                      num_features=32),
    "electra": hub("ElectraBackbone", vocab_size=64, num_layers=1, num_heads=2, hidden_dim=16, embedding_dim=16,
                 intermediate_dim=32),
    "esm": hub("ESMBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "f_net": hub("FNetBackbone", vocabulary_size=64, **_DECODER),
    "falcon": hub("FalconBackbone", vocabulary_size=64, num_layers=1, num_attention_heads=2, hidden_dim=16,
                intermediate_dim=32),
    "gemma": hub("GemmaBackbone", vocabulary_size=64, head_dim=8, **_GQA, **_DECODER),
    "gemma3": hub("Gemma3Backbone", vocabulary_size=64, image_size=16, head_dim=8, **_GQA, **_DECODER),
    "gpt2": hub("GPT2Backbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "gpt_neo_x": hub("GPTNeoXBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "hgnetv2": hub("HGNetV2Backbone", depths=[1, 1], embedding_size=8, hidden_sizes=[16, 32], stem_channels=[3, 8, 8],
                 hidden_act="relu", use_learnable_affine_block=False,
                 stackwise_stage_filters=[[8, 8, 16, 1, 2, 3], [16, 8, 32, 1, 2, 3]],
                 apply_downsample=[False, True], use_lightweight_conv_block=[False, False]),
    "llama": hub("LlamaBackbone", vocabulary_size=64, **_GQA, **_DECODER),
    "llama3": hub("Llama3Backbone", vocabulary_size=64, **_GQA, **_DECODER),
    "mistral": hub("MistralBackbone", vocabulary_size=64, sliding_window=8, **_GQA, **_DECODER),
    "mit": _MIT,
    "mixtral": hub("MixtralBackbone", vocabulary_size=64, num_experts=2, top_k=1, sliding_window=8, **_GQA, **_DECODER),
    "mobilenet": hub("MobileNetBackbone", stackwise_expansion=[[16], [24]], stackwise_num_blocks=[1, 1],
                   stackwise_num_filters=[[8], [16]], stackwise_kernel_size=[[3], [5]],
                   stackwise_num_strides=[[2], [2]], stackwise_se_ratio=[[None], [0.25]],
                   stackwise_activation=[["relu"], ["hard_swish"]], stackwise_padding=[[1], [2]],
                   output_num_filters=32, depthwise_filters=8, depthwise_stride=2, depthwise_residual=False,
                   last_layer_filter=32, input_num_filters=8),
    "opt": hub("OPTBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "phi3": hub("Phi3Backbone", vocabulary_size=64, **_GQA, **_DECODER),
    "qwen": hub("QwenBackbone", vocabulary_size=64, **_GQA, **_DECODER),
    "qwen3": hub("Qwen3Backbone", vocabulary_size=64, head_dim=8, **_GQA, **_DECODER),
    "resnet": hub("ResNetBackbone", **_RESNET),
    "roberta": hub("RobertaBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "roformer_v2": hub("RoformerV2Backbone", vocabulary_size=64, num_heads=2, head_size=8, **_DECODER),
    "sam": hub("SAMBackbone", image_encoder=_vit_det(32),
             prompt_encoder=hub("SAMPromptEncoder", hidden_size=8, image_embedding_size=(2, 2),
                              input_image_size=(32, 32), mask_in_channels=4),
             mask_decoder=hub("SAMMaskDecoder", num_layers=1, hidden_size=8, intermediate_dim=16, num_heads=2,
                            embedding_dim=8, num_multimask_outputs=3, iou_head_depth=2, iou_head_hidden_dim=8)),
    "segformer": hub("SegFormerBackbone", image_encoder=_MIT, projection_filters=8),
    "siglip": hub("SigLIPBackbone",
                vision_encoder=hub("SigLIPVisionEncoder", patch_size=8, hidden_dim=16, num_layers=1, num_heads=2,
                                 intermediate_dim=32, image_shape=(32, 32, 3)),
                text_encoder=hub("SigLIPTextEncoder", vocabulary_size=64, embedding_dim=16, hidden_dim=16,
                               num_layers=1, num_heads=2, intermediate_dim=32, max_sequence_length=16)),
    "swin": hub("SwinTransformerBackbone", image_shape=(32, 32, 3), embed_dim=8, depths=(2, 2), num_heads=(1, 2),
              window_size=4, patch_size=4),
    "t5": hub("T5Backbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "vgg": hub("VGGBackbone", stackwise_num_repeats=[1, 1], stackwise_num_filters=[8, 16]),
    "vit": hub("ViTBackbone", image_shape=(32, 32, 3), patch_size=8, num_layers=1, num_heads=2, hidden_dim=16,
             mlp_dim=32),
    "vit_det": _vit_det(32),
    "whisper": hub("WhisperBackbone", vocabulary_size=64, num_heads=2, num_mels=8, max_encoder_sequence_length=32,
                 max_decoder_sequence_length=16, **_DECODER),
    "xception": hub("XceptionBackbone", stackwise_conv_filters=[[8, 16], [16, 16]], stackwise_pooling=[False, True]),
    "xlm_roberta": hub("XLMRobertaBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
    "xlnet": hub("XLNetBackbone", vocabulary_size=64, num_heads=2, **_DECODER),
}


# ---------------------------------------------------------------------------------------------
# label: runs inside the venv, imports TensorFlow and keras-hub lazily (score must not need them)

def ensure_venv(venv: Path) -> Path:
    """Create the venv once; pip install is a quick no-op when the pins are already satisfied."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PINS], check=True)
    # tflint itself, for the one definition of what each target means to the converter
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "-e", str(ROOT)], check=True)
    return python


@contextlib.contextmanager
def quiet():
    """Silence the converter's and SavedModel's chatter (written by C++ too, hence file descriptors)."""
    sys.stdout.flush()
    saved = [os.dup(1), os.dup(2)]
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 1), os.dup2(devnull.fileno(), 2)
    try:
        yield
    finally:
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(saved[0], 1), os.dup2(saved[1], 2)
        os.close(saved[0]), os.close(saved[1])


def build(spec):
    """Instantiate a MODELS entry, nested constructor calls first."""
    import keras_hub
    if isinstance(spec, dict) and "class" in spec:
        cls = getattr(keras_hub.models, spec["class"], None) or getattr(keras_hub.layers, spec["class"])
        return cls(**{k: build(v) for k, v in spec["args"].items()})
    return spec


def keras_hub_frame(filename: str, package: str) -> str | None:
    """`src/...` for a file of keras_hub's source, None for any other file (TensorFlow, Keras, ours)."""
    if filename.startswith(package + "/src/"):
        return filename[len(package) + 1:]
    return None


def graph_ops(concrete):
    """Every op of the traced graph and of the functions nested in it (loop bodies, branches)."""
    seen, graphs = set(), [concrete.graph]
    while graphs:
        graph = graphs.pop()
        if id(graph) not in seen:
            seen.add(id(graph))
            yield from graph.get_operations()
            graphs.extend(f.graph for f in graph._functions.values() if getattr(f, "graph", None) is not None)


def graph_lines(concrete, package: str) -> set[tuple[str, int]]:
    """The keras_hub lines on the creation stack of any op of the graph: the code the graph was built from."""
    return {(path, frame.lineno) for op in graph_ops(concrete) for frame in op.traceback
            if (path := keras_hub_frame(frame.filename, package))}


def build_recording_lines(spec: dict, package: str):
    """Build the model, and record the keras_hub lines that create its symbolic (functional) graph. A
    functional model's tf.function replays that graph from Keras's code, so these lines (a backbone's
    `__init__`, `x = layers.Conv2D(...)(x)`) never appear in the traced ops' stacks."""
    from keras.src.backend.common.keras_tensor import KerasTensor
    lines, init = set(), KerasTensor.__init__

    def recording_init(self, *args, **kwargs):
        for frame in traceback.extract_stack():
            if path := keras_hub_frame(frame.filename, package):
                lines.add((path, frame.lineno))
        init(self, *args, **kwargs)

    KerasTensor.__init__ = recording_init
    try:
        return build(spec), lines
    finally:
        KerasTensor.__init__ = init


def convert(converter, target: str) -> list[dict] | None:
    """None if it converts, else the converter's structured errors (op, code, call stack)."""
    from tensorflow.lite.python.convert_phase import ConverterError

    from tflint.knowledge.targets import configure

    configure(converter, target)
    try:
        converter.convert()
        return None
    except ConverterError as e:
        errors = [{"op": err.operator.name.removeprefix("tf."), "code": err.ErrorCode.Name(err.error_code),
                   "message": err.error_message.split("\n")[0], "calls": list(err.location.call)}
                  for err in e.errors]
        return errors or [{"op": None, "code": None, "message": str(e).split("\n")[0][:300], "calls": []}]
    except Exception as e:  # the route itself broke (not a converter verdict): say how
        return [{"op": None, "code": type(e).__name__, "message": str(e).split("\n")[0][:300], "calls": []}]


def locate(error: dict, frames: dict, package: str) -> tuple[str, int] | None:
    """The deepest keras_hub frame of a failing op: from the converter's call stack (outermost first),
    else from the graph op its location names (the converter's recorded stack is depth-limited)."""
    located = [(p, c.source.line) for c in error["calls"] if (p := keras_hub_frame(c.source.filename, package))]
    if not located:
        node = next((c.name.split("@")[0] for c in error["calls"] if c.name), None)
        located = [(p, f.lineno) for f in frames.get(node, []) if (p := keras_hub_frame(f.filename, package))]
    return located[-1] if located else None


def keras_route(model):
    """The Keras model its user would convert. from_keras_model fails on dict inputs in TF 2.21
    (`'NoneType' object is not callable`), so those get a functional wrapper taking a list."""
    import keras
    if not isinstance(model.input, dict):
        return model, "from_keras_model"
    flat = keras.tree.flatten(model.input)
    inputs = [keras.Input(batch_shape=x.shape, dtype=x.dtype, name=x.name) for x in flat]
    wrapper = keras.Model(inputs, model(keras.tree.pack_sequence_as(model.input, inputs)))
    return wrapper, "from_keras_model(list-input wrapper)"


def label_model(spec: dict, package: str) -> dict:
    record = {"config": spec}
    try:
        model, built_from = build_recording_lines(spec, package)
    except Exception as e:
        record["build_error"] = f"{type(e).__name__}: {str(e).splitlines()[0][:300]}"
        return record
    record["build_lines"] = sorted(built_from)
    try:
        record.update(trace_and_convert(model, package))
    except Exception as e:  # a model that cannot be traced has no verdict: record why, go on with the others
        record["trace_error"] = f"{type(e).__name__}: {str(e).strip().splitlines()[0][:300]}"
    return record


def trace_and_convert(model, package: str) -> dict:
    import keras
    import tensorflow as tf
    record = {}
    flat = keras.tree.flatten(model.input)
    specs = [tf.TensorSpec(x.shape, x.dtype, name=x.name) for x in flat]
    record["inputs"] = [{"name": x.name, "shape": list(x.shape), "dtype": str(x.dtype)} for x in flat]
    record["parameters"] = int(model.count_params())
    call = tf.function(lambda *xs: model(keras.tree.pack_sequence_as(model.input, list(xs)), training=False))
    concrete = call.get_concrete_function(*specs)
    record["graph_lines"] = sorted(graph_lines(concrete, package))
    frames = {op.name: op.traceback for op in graph_ops(concrete)}  # to locate ops the converter cut short
    wrapper, route = keras_route(model)
    for target in TARGETS:
        with quiet():
            keras_errors = convert(tf.lite.TFLiteConverter.from_keras_model(wrapper), target)
            traced_errors = convert(tf.lite.TFLiteConverter.from_concrete_functions([concrete], model), target)
        failures = sorted({(e["op"], e["code"], *(locate(e, frames, package) or (None, None)))
                           for e in traced_errors or []}, key=str)
        record[target] = {
            "converts": keras_errors is None,
            "route": route,
            "keras_route_ops": sorted({e["op"] for e in keras_errors or [] if e["op"]}),
            "keras_route_message": keras_errors[0]["message"] if keras_errors else None,
            "concrete_function_converts": traced_errors is None,
            "failures": [{"op": op, "code": code, "file": path, "line": line} for op, code, path, line in failures],
        }
        print(f"  {target}: {'converts' if keras_errors is None else 'FAILS ' + str(record[target]['keras_route_ops'])}"
              f"{'' if (keras_errors is None) == (traced_errors is None) else '  (concrete function disagrees)'}",
              flush=True)
    return record


def label_in_venv(out: Path, only: list[str]) -> None:
    import keras
    import keras_hub
    keras.utils.set_random_seed(0)
    package = str(Path(keras_hub.__file__).resolve().parent)
    names = only or sorted(MODELS)
    previous = json.loads(out.read_text())["models"] if only and out.exists() else {}
    models = dict(previous)
    for name in names:
        print(name, flush=True)
        models[name] = label_model(MODELS[name], package)
        keras.backend.clear_session()  # keep layer names (and memory) independent of the order
        write_labels(out, models)  # after every model: a crash of TensorFlow loses one model, not the run
    judged = {n: m for n, m in models.items() if "builtins" in m}
    for target in TARGETS:
        failing = sorted(n for n, m in judged.items() if not m[target]["converts"])
        print(f"{target}: {len(judged) - len(failing)}/{len(judged)} convert; fail: {', '.join(failing) or '-'}")
    for n, m in models.items():
        if "build_error" in m or "trace_error" in m:
            print(f"no verdict: {n}: {m.get('build_error') or m['trace_error']}")


def write_labels(out: Path, models: dict) -> None:
    import platform
    import ai_edge_litert
    import keras
    import keras_hub
    import tensorflow as tf
    versions = {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__,
                "keras_hub": keras_hub.__version__,
                "ai_edge_litert": getattr(ai_edge_litert, "__version__", PINS[2].split("==")[1])}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"versions": versions, "targets": list(TARGETS), "models": dict(sorted(models.items()))},
                              indent=1, sort_keys=True) + "\n")


# ---------------------------------------------------------------------------------------------
# score: needs only tflint (and the keras_hub sources: the venv's, or the wheel unzipped)

def keras_hub_package(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python*/site-packages/keras_hub"))
    if found:
        return found[0]
    unpacked = ROOT / "build" / f"keras-hub-{KERAS_HUB_VERSION}"  # no venv: the same sources from the wheel
    if not (unpacked / "keras_hub").exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(unpacked),
                        f"keras-hub=={KERAS_HUB_VERSION}"], check=True)
        zipfile.ZipFile(next(unpacked.glob("*.whl"))).extractall(unpacked)
    return unpacked / "keras_hub"


def lint(tflint: str, package: Path, target: str) -> list[dict]:
    """tflint's findings over keras_hub/src, with paths relative to the package (`src/...`) like the labels."""
    # --no-respect-gitignore: the sources may sit under build/, which this repository's git ignores.
    proc = subprocess.run([tflint, "src", "--format", "json", "--no-cache", "--exit-zero", "--no-respect-gitignore",
                           "--target", target],
                          cwd=package, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"tflint failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return json.loads(proc.stdout)["diagnostics"]


def names_op(finding: dict, op: str) -> bool:
    return op in {finding.get("op"), *(finding.get("ops") or [])} or bool(re.search(rf"\b{op}\b", finding["message"]))


def score_target(labels: dict, findings: list[dict], target: str) -> dict:
    models = {n: m for n, m in labels["models"].items() if "builtins" in m}  # those with a verdict
    errors = [f for f in findings if f["severity"] == "error"]
    warnings = [f for f in findings if f["severity"] == "warning"]
    failing_lines = {(x["file"], x["line"]) for m in models.values() if not m[target]["converts"]
                     for x in m[target]["failures"] if x["file"]}
    caught, missed = [], []
    for name, model in sorted(models.items()):
        if model[target]["converts"]:
            continue
        files = {path for path, _ in model["graph_lines"] + model["build_lines"]}
        ops = set(model[target]["keras_route_ops"]) | {x["op"] for x in model[target]["failures"] if x["op"]}
        for op in sorted(ops):
            lines = {(x["file"], x["line"]) for x in model[target]["failures"] if x["op"] == op and x["file"]}
            def on_it(f):
                return (f["path"], f["line"]) in lines or (f["path"] in files and names_op(f, op))

            hits = [f for f in errors if on_it(f)]
            warned = [f for f in warnings if (f["path"], f["line"]) in lines]  # a warning on the very line
            (caught if hits else missed).append({"model": name, "op": op, "lines": sorted(lines),
                                                 "by": [f"{f['path']}:{f['line']} {f['code']}" for f in hits or warned],
                                                 "warned": bool(warned) and not hits})
    converting = [m for m in models.values() if m[target]["converts"]]
    traced = {tuple(x) for m in converting for x in m["graph_lines"]} - failing_lines
    built = {tuple(x) for m in converting for x in m["build_lines"]} - failing_lines - traced
    false_alarms = [dict(f, on="traced op" if (f["path"], f["line"]) in traced else "functional construction")
                    for f in errors if (f["path"], f["line"]) in traced | built]
    return {
        "target": target,
        "models": len(models),
        "failing_models": sum(not m[target]["converts"] for m in models.values()),
        "failing_pairs": len(caught) + len(missed),
        "caught": len(caught),
        "missed": missed,
        "caught_pairs": caught,
        "false_alarms": [{k: f[k] for k in ("path", "line", "code", "message", "on")} for f in false_alarms],
        "warned": sum(p["warned"] for p in missed),
        "warnings_on_converting": sum((f["path"], f["line"]) in traced | built for f in warnings),
        "errors": len(errors),
        "warnings": sum(f["severity"] == "warning" for f in findings),
    }


def print_score(s: dict) -> None:
    print(f"== target {s['target']}: {s['failing_models']}/{s['models']} models fail to convert")
    print(f"failing (model, op) pairs: {s['failing_pairs']}, caught by an error finding: {s['caught']}, "
          f"by a warning on the failing line only: {s['warned']}")
    on_traced = sum(f["on"] == "traced op" for f in s["false_alarms"])
    print(f"error findings on the code of models that convert: {len(s['false_alarms'])} ({on_traced} on lines "
          f"of traced ops, {len(s['false_alarms']) - on_traced} on functional-construction lines)")
    print(f"warnings on the code of models that convert: {s['warnings_on_converting']}")
    print(f"findings over keras_hub/src: {s['errors']} errors, {s['warnings']} warnings")
    for p in s["caught_pairs"]:
        print(f"  caught  {p['model']}: {p['op']} by {', '.join(p['by'][:3])}")
    for p in s["missed"]:
        where = ", ".join(f"{path}:{line}" for path, line in p["lines"]) or "no keras_hub line"
        print(f"  {'warned' if p['warned'] else 'missed'}  {p['model']}: {p['op']} at {where}")
    for f in s["false_alarms"]:
        print(f"  false alarm ({f['on']})  {f['path']}:{f['line']} {f['code']} {f['message'][:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    label = sub.add_parser("label", help="build and convert the models (creates the venv)")
    label.add_argument("--only", default="", help="comma-separated MODELS names; others keep their labels")
    label.add_argument("--in-venv", action="store_true", help=argparse.SUPPRESS)
    score = sub.add_parser("score", help="compare tflint's findings on keras_hub/src with the labels")
    repo_tflint = ROOT / ".venv" / "bin" / "tflint"
    score.add_argument("--tflint", default=str(repo_tflint) if repo_tflint.exists() else "tflint")
    score.add_argument("--json", action="store_true", help="print the figures as JSON")
    for p in (label, score):
        p.add_argument("--venv", type=Path, default=VENV)
        p.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args()

    if args.step == "label":
        only = [n for n in args.only.split(",") if n]
        if unknown := set(only) - set(MODELS):
            parser.error(f"unknown models: {', '.join(sorted(unknown))}")
        if args.in_venv:
            label_in_venv(args.labels, only)
        else:
            python = ensure_venv(args.venv)
            subprocess.run([str(python), __file__, "label", "--in-venv", "--only", args.only,
                            "--labels", str(args.labels)], check=True)
        return
    labels = json.loads(args.labels.read_text())
    package = keras_hub_package(args.venv)
    scores = [score_target(labels, lint(args.tflint, package, t), t) for t in TARGETS]
    if args.json:
        print(json.dumps({"versions": labels["versions"], "scores": scores}, indent=1))
    else:
        for s in scores:
            print_score(s)


if __name__ == "__main__":
    main()
