"""Cache files mutated at random and crafted: no exception, no crash, bounded time and memory, and with
what a user without the key could write, exactly the findings of `--no-cache`.

The bulk runs in one child process under a memory limit, against the load functions (the result cache
of a small project, the op knowledge cache); a handful run end to end through the command line.
Two kinds of corruption: of the file as it lies on disk (bit flips, truncations, insertions, crafted
payloads: what another user, a repository or a bad disk can leave), which must be a miss; and of the
content, sealed again with the user's key (what a bug of tflint's own could write), which must be a
miss or well formed enough that every output format renders it.
"""

from __future__ import annotations

import json
import pickle
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest

pytestmark = pytest.mark.fuzz

FILES = {
    "svd.py": "import tensorflow as tf\ny = tf.linalg.svd(x)\n",
    "inv.py": "import tensorflow as tf\n\ndef f(x):\n    return tf.linalg.inv(tf.linalg.svd(x)[0])\n",
    "fixable.py": "import tensorflow as tf\ny = tf.reshape(x, [tf.shape(x)[0], 10])\n",
    "helper.py": "import tensorflow as tf\n\ndef g(x):\n    return tf.roll(x, 1, 0)\n\nm = tf.keras.Sequential()\n",
    "clean.py": "import tensorflow as tf\ny = tf.nn.relu(x)\n",
    "café ☃.py": "import tensorflow as tf\ny = tf.signal.fft(x)\n",
}
CRAFTED = [
    b"{\xa8\x01\x00\x00\x00r\x00\x00\x00\x00N0",  # the marshal segfault
    b"[\xff\xff\xff\x7f" + b"N" * 32, b"s\xff\xff\xff\x7f", b"{" * 1000,  # marshal: huge lengths, nesting
    pickle.dumps({"a": [1, 2]}), b"cos\nsystem\n(S'echo pwned'\ntR.",  # pickle
    b"[" * 100_000, b'{"a":' * 100_000, b"1" * 5000, b"1e999999", b'"\\ud800"', b"\xff\xfe\x00",
    b"null", b"[]", b'{"x": [1, 2, 3]}', b"\n\n", b"{}\n{}\n{}",
]
RESULT_MUTATIONS = 12_000  # alternately of the file and of its content sealed again
KNOWLEDGE_MUTATIONS = 3_000
KNOWLEDGE_RETYPES = 1_000
KNOWLEDGE_LINTS = 40  # accepted content mutations the project is linted with
MAX_SECONDS_PER_LOAD = 1.0
MEMORY_LIMIT = 2 << 30


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One or a few random edits: bit flips, truncation, insertion, deletion, duplication, a crafted splice."""
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        kind = rng.randrange(7)
        at = rng.randrange(len(out) + 1)
        if kind == 0 and out:
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del out[at:]
        elif kind == 2:
            out[at:at] = rng.randbytes(rng.randint(1, 16))
        elif kind == 3:
            del out[at:at + rng.randint(1, 64)]
        elif kind == 4:
            out[at:at] = out[at:at + rng.randint(1, 256)] * rng.randint(1, 4)
        elif kind == 5:
            out[at:at] = rng.choice(CRAFTED)
        else:
            out[at:at] = rng.choice((b"\n", b"{", b"[", b'"', b"\\", b"]", b"}", b",", b":", b"9" * 30))
    return bytes(out)


# One value of each JSON kind, for replacing a node of another kind (bool apart from int, as JSON has it).
_KINDS = [None, True, 7, 2.5, "x", ["x"], {"x": "y"}]


def retype(tree, rng: random.Random):
    """Replace one node of a JSON tree, in place, by a value of another kind ("wrong-shape JSON")."""
    nodes = []
    stack = [tree]
    while stack:
        parent = stack.pop()
        for key, value in (parent.items() if type(parent) is dict else enumerate(parent)):
            nodes.append((parent, key, value))
            if type(value) in (dict, list):
                stack.append(value)
    parent, key, value = rng.choice(nodes)
    parent[key] = rng.choice([k for k in _KINDS if type(k) is not type(value)])
    return tree


def _timed(load, *args):
    start = time.perf_counter()
    value = load(*args)
    elapsed = time.perf_counter() - start
    assert elapsed < MAX_SECONDS_PER_LOAD, f"a load took {elapsed:.2f} s"
    return value


def _fuzz_result_cache(root: Path, rng: random.Random) -> int:
    from tflint.cachefile import dumps, seal
    from tflint.frontends import cache, cli
    from tflint.report.formats import FORMATS, render

    settings = cli._settings(cli.build_parser().parse_args([str(root)]))
    paths = [str(root / name) for name in FILES]
    truth = {path: cli._lint_one((path, settings, False, True, None))[0].diagnostics for path in paths}
    now = time.time_ns()
    with mock.patch.object(cache.time, "time_ns", lambda: now + 10**10):  # settled: statuses recorded too
        stores = cli._Stores(project=True)
        store = stores.of(settings)
        cli._run(dict.fromkeys(paths, settings), False, 1, stores, True, {})
        stores.save()
    original = store.file.read_bytes()
    body = original.split(b"\n", 2)[2]
    assert list(_timed(cache.decode, original, store.label, store.key)) == json.loads(body)

    def results(data: bytes) -> dict:
        store.strings, store.entries, store.runs = _timed(cache.decode, data, store.label, store.key)
        return {path: store.lookup(path, False) for path in paths}

    for i in range(RESULT_MUTATIONS):
        if i % 2:  # as left on disk: every hit is the truth
            for path, hit in results(mutate(original, rng)).items():
                assert hit is None or hit.diagnostics == truth[path], path
        else:  # content sealed again: every hit that is not the truth renders in every format
            content = (rng.choice(CRAFTED) if i % 50 == 0 else mutate(body, rng) if i % 4
                       else dumps(retype(json.loads(body), rng)))
            odd = [d for path, hit in results(seal(store.label, content, store.key)).items()
                   if hit and hit.diagnostics != truth[path] for d in hit.diagnostics]
            for fmt in FORMATS if odd else ():
                render(fmt, odd, target="builtins", files=len(paths))
    for payload in CRAFTED:
        assert results(payload) == dict.fromkeys(paths)
        results(seal(store.label, payload, store.key))
    assert results(seal(store.label, dumps({"x": 1}), store.key)) == dict.fromkeys(paths)
    return RESULT_MUTATIONS + 2 * len(CRAFTED) + 1


def _fuzz_knowledge_cache(root: Path, rng: random.Random) -> int:
    from tflint import knowledge
    from tflint.cachefile import dumps, seal, user_key
    from tflint.frontends import cli
    from tflint.knowledge import loading

    path = knowledge.data_dir() / f"ops-tf{knowledge.available_versions()[0]}.toml"
    truth = loading.parsed(path)  # writes the sealed copy
    copy, label = loading.cached_copy(path, path.read_bytes())
    key = user_key()
    original = copy.read_bytes()
    assert _timed(loading.decode, original, label, key) == truth
    # Content mutations on the real table cut down to the project's APIs and one API of each form.
    forms = {tuple(sorted(raw.keys() & {"when", "given", "dtype"})): api for api, raw in truth["apis"].items()}
    used = {api for api in truth["apis"] if any(api.rsplit(".", 1)[-1] in text for text in FILES.values())}
    apis = {*forms.values(), *used}
    small = {**truth, "apis": {api: truth["apis"][api] for api in apis}}
    small_body = dumps(small)
    for _ in range(KNOWLEDGE_RETYPES):  # the table's shape has one kind per place: any other is refused
        assert _timed(loading.decode, seal(label, dumps(retype(json.loads(small_body), rng)), key), label, key) is None
    settings = cli._settings(cli.build_parser().parse_args([str(root)]))
    linted = 0
    for i in range(KNOWLEDGE_MUTATIONS):
        if i % 2:
            hit = _timed(loading.decode, mutate(original, rng), label, key)
            assert hit is None or hit == truth
            continue
        content = rng.choice(CRAFTED) if i % 50 == 0 else mutate(small_body, rng)
        hit = _timed(loading.decode, seal(label, content, key), label, key)
        if hit is not None and hit != small and linted < KNOWLEDGE_LINTS:  # the rules run on what was let in
            linted += 1
            with mock.patch.object(knowledge, "load", lambda *_: knowledge.Knowledge(hit, path)):
                for name in FILES:
                    result = cli._lint_one((str(root / name), settings, False, False, None))[0]
                    problems = [d for d in result.diagnostics if d.code == "TFL003"]
                    assert not problems, problems
    assert linted == KNOWLEDGE_LINTS
    return KNOWLEDGE_RETYPES + KNOWLEDGE_MUTATIONS


def fuzz_in_child(root: str, seed: int) -> None:
    """Run in a child under a memory limit; prints what it did."""
    rng = random.Random(seed)
    start = time.perf_counter()
    count = _fuzz_result_cache(Path(root), rng) + _fuzz_knowledge_cache(Path(root), rng)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"mutations": count, "seconds": time.perf_counter() - start, "peak_mb": peak_mb}))


def _project(folder: Path) -> Path:
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text)
    return folder


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_mutations_of_real_cache_files(tmp_path, monkeypatch):
    monkeypatch.setenv("TFLINT_CACHE_DIR", str(tmp_path / "user-cache"))
    root = _project(tmp_path / "project")
    code = f"from tests.fuzz.test_cache_fuzz import fuzz_in_child; fuzz_in_child({str(root)!r}, 14)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          preexec_fn=_limited, cwd=Path(__file__).parents[2])
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json.loads(proc.stdout)
    assert stats["mutations"] >= 10_000 and stats["peak_mb"] < 1024, stats


def test_corrupted_caches_end_to_end_give_the_findings_of_no_cache(tmp_path, monkeypatch):
    """A handful through the command line, both caches corrupted at once: a segfault would show here."""
    user_cache = tmp_path / "user-cache"
    monkeypatch.setenv("TFLINT_CACHE_DIR", str(user_cache))
    root = _project(tmp_path / "project")
    monkeypatch.chdir(root)

    def lint(*args: str) -> tuple[int, str]:
        proc = subprocess.run([sys.executable, "-m", "tflint", "--format", "json", "--jobs", "1", *args],
                              capture_output=True, text=True, timeout=60, preexec_fn=_limited)
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.returncode, proc.stdout

    want = lint("--no-cache", ".")
    assert want[0] == 1
    lint(".")
    caches = [p for p in (*(root / ".tflint_cache").glob("*.cache"), *user_cache.glob("*.cache"))]
    originals = {p: p.read_bytes() for p in caches}
    rng = random.Random(14)
    for i in range(4):
        for p, data in originals.items():
            p.write_bytes(mutate(data, rng) if i else CRAFTED[0])
        assert lint(".") == want
    shutil.rmtree(root / ".tflint_cache")
