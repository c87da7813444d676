"""The op-knowledge generator's parent process: which API a dead worker was on, and whether it
died in an int8 conversion (then the API is probed again with int8 recorded as crashing)."""

import json
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[2] / "tools"
sys.path.insert(0, str(TOOLS))

import probe_ops  # noqa: E402
from probes import emit  # noqa: E402

META = {"meta": {"tensorflow": "2.21.0", "keras": "3.15.1"}}
DONE = {"api": "tf.a", "namespace": "tf", "kind": "function", "aliases": [], "params": [], "status": "probed"}


def results(tmp_path, *items):
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in (META, *items)))
    return path


def test_death_inside_an_int8_conversion_is_told_apart(tmp_path):
    path = results(tmp_path, {"start": "tf.a"}, DONE, {"start": "tf.b"}, {"calibrating": "tf.b"})
    assert probe_ops._in_flight(path) == ("tf.b", True)


def test_death_after_the_int8_conversion_is_an_ordinary_crash(tmp_path):
    path = results(tmp_path, {"start": "tf.b"}, {"calibrating": "tf.b"}, {"calibrated": "tf.b"})
    assert probe_ops._in_flight(path) == ("tf.b", False)


def test_an_api_whose_int8_conversion_crashed_once_is_not_retried_for_it(tmp_path):
    path = results(tmp_path, {"start": "tf.b"}, {"calibrating": "tf.b"}, {"int8_crashed": "tf.b", "exit": -11},
                   {"start": "tf.b"}, {"calibrating": "tf.b"})
    assert probe_ops._in_flight(path) == ("tf.b", False)


def test_no_api_in_flight_once_its_record_is_written(tmp_path):
    assert probe_ops._in_flight(results(tmp_path, {"start": "tf.a"}, DONE)) == (None, False)


def test_marks_are_not_records_and_retrying_keeps_the_crash(tmp_path):
    unprobed = {**DONE, "api": "tf.c", "status": "unprobed", "reason": "x"}
    path = results(tmp_path, {"start": "tf.a"}, {"calibrating": "tf.a"}, {"calibrated": "tf.a"}, DONE,
                   {"int8_crashed": "tf.b", "exit": -11}, unprobed)
    assert [r["api"] for r in emit.read(str(path))[1]] == ["tf.a", "tf.c"]
    probe_ops._drop_unprobed(path)
    kept = [json.loads(line) for line in path.read_text().splitlines()]
    assert kept == [META, DONE, {"int8_crashed": "tf.b", "exit": -11}]
