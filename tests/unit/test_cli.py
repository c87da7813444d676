"""The command line as docs/CONTRACTS.md defines it: options, formats, exit codes, configuration, bad input."""

import json
import subprocess
import sys

import pytest

from tflint.frontends.cli import main

BAD_OP = "import tensorflow as tf\n\ny = tf.nn.fractional_max_pool(x, r)\n"
WARN_ONLY = "import tensorflow as tf\ny = tf.reshape(x, [tf.shape(x)[0], 10])\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model.py").write_text(BAD_OP)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_format_is_flake8_shape(project, capsys):
    code, out, _ = run(capsys, "model.py")
    assert code == 1
    assert out.startswith("model.py:3:5: TFL101 tf.nn.fractional_max_pool has no TFLite kernel (FractionalMaxPool)")


def test_json_format(project, capsys):
    code, out, _ = run(capsys, "--format", "json", "model.py")
    doc = json.loads(out)
    assert code == 1 and doc["target"] == "builtins" and doc["tflint"]
    (d,) = doc["diagnostics"]
    assert {k: d[k] for k in ("path", "line", "col", "end_line", "end_col", "code", "name", "severity", "op")} == {
        "path": "model.py", "line": 3, "col": 5, "end_line": 3, "end_col": 36, "code": "TFL101",
        "name": "no-tflite-kernel", "severity": "error", "op": "FractionalMaxPool"}
    assert d["confirmed"] is None and d["fix"] is None
    assert doc["summary"] == {"files": 1, "errors": 1, "warnings": 0, "infos": 0}


def test_json_fix_field(project, capsys):
    (project / "model.py").write_text(WARN_ONLY)
    _, out, _ = run(capsys, "--format", "json", "model.py")
    fix = json.loads(out)["diagnostics"][0]["fix"]
    assert fix == {"title": "replace the run-time dimension with -1", "line": 2, "col": 20, "end_line": 2,
                   "end_col": 34, "content": "-1"}


def test_sarif_format(project, capsys):
    _, out, _ = run(capsys, "--format", "sarif", "model.py")
    doc = json.loads(out)
    assert doc["version"] == "2.1.0"
    run_ = doc["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "tflint"
    rule = next(r for r in driver["rules"] if r["id"] == "TFL101")
    assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    (result,) = run_["results"]
    assert result["ruleId"] == "TFL101" and result["level"] == "error" and result["message"]["text"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "model.py"
    assert loc["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 36}


def test_sarif_uris_are_percent_encoded_and_columns_are_code_points(project, capsys, tmp_path_factory):
    (project / "my models").mkdir()
    line = 'y = ("\u00e9\U0001f600", tf.nn.fractional_max_pool(x, r))'  # U+1F600: two UTF-16 units
    (project / "my models" / "white 100%.py").write_text(f"import tensorflow as tf\n{line}\n")
    outside = tmp_path_factory.mktemp("elsewhere") / "a b.py"
    outside.write_text(BAD_OP)
    run_ = json.loads(run(capsys, "--format", "sarif", "my models/white 100%.py", str(outside))[1])["runs"][0]
    assert run_["columnKind"] == "unicodeCodePoints"
    [inside, other] = sorted((r["locations"][0]["physicalLocation"] for r in run_["results"]),
                             key=lambda loc: "uriBaseId" in loc["artifactLocation"], reverse=True)
    assert inside["artifactLocation"] == {"uri": "my%20models/white%20100%25.py", "uriBaseId": "%SRCROOT%"}
    assert inside["region"]["startColumn"] == line.index("tf.nn") + 1
    assert other["artifactLocation"] == {"uri": outside.as_uri()} and "%20" in outside.as_uri()


def test_github_format(project, capsys):
    _, out, _ = run(capsys, "--format", "github", "model.py")
    assert out.startswith("::error file=model.py,line=3,col=5,endLine=3,endColumn=36,title=TFL101 no-tflite-kernel::")


def test_exit_codes(project, capsys):
    (project / "clean.py").write_text("import tensorflow as tf\ny = tf.nn.relu(x)\n")
    assert run(capsys, "clean.py")[0] == 0
    assert run(capsys, "model.py")[0] == 1
    assert run(capsys, "--exit-zero", "model.py")[0] == 0
    (project / "warn.py").write_text(WARN_ONLY)
    assert run(capsys, "warn.py")[0] == 1
    assert run(capsys, "--fail-on", "error", "warn.py")[0] == 0


def test_usage_error_exits_2(project):
    proc = subprocess.run([sys.executable, "-m", "tflint", "--target", "tpu", "model.py"], capture_output=True,
                          text=True)
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_select_and_ignore(project, capsys):
    (project / "model.py").write_text(BAD_OP + WARN_ONLY.split("\n", 1)[1])
    assert "TFL201" not in run(capsys, "--ignore", "TFL2", "model.py")[1]
    out = run(capsys, "--select", "TFL2", "model.py")[1]
    assert "TFL201" in out and "TFL101" not in out


def test_target_changes_severity(project, capsys):
    (project / "model.py").write_text("import tensorflow as tf\ny = tf.linalg.inv(x)\n")
    doc = json.loads(run(capsys, "--format", "json", "model.py")[1])
    assert doc["diagnostics"][0]["severity"] == "error"
    doc = json.loads(run(capsys, "--format", "json", "--target", "select", "model.py")[1])
    assert doc["diagnostics"][0]["severity"] == "warning" and doc["target"] == "select"


def test_noqa(project, capsys):
    (project / "model.py").write_text(BAD_OP.replace("r)\n", "r)  # noqa: TFL101\n"))
    assert run(capsys, "model.py")[:2] == (0, "")
    (project / "model.py").write_text(BAD_OP.replace("r)\n", "r)  # noqa: TFL2\n"))
    assert run(capsys, "model.py")[0] == 1
    (project / "model.py").write_text(BAD_OP.replace("r)\n", "r)  # noqa\n"))
    assert run(capsys, "model.py")[0] == 0


def test_pyproject_config(project, capsys):
    (project / "pyproject.toml").write_text('[tool.tflint]\ntarget = "select"\nignore = ["TFL101"]\n')
    assert run(capsys, "model.py")[0] == 0


def test_tflint_toml_and_per_file_ignores(project, capsys):
    (project / "tests").mkdir()
    (project / "tests" / "test_m.py").write_text(WARN_ONLY)
    (project / "tflint.toml").write_text('per-file-ignores = { "tests/*" = ["TFL2"] }\n')
    out = run(capsys, ".")[1]
    assert "model.py" in out and "test_m.py" not in out


def test_exclude(project, capsys):
    (project / "build_out").mkdir()
    (project / "build_out" / "gen.py").write_text(BAD_OP)
    (project / "pyproject.toml").write_text('[tool.tflint]\nexclude = ["build_out/"]\n')
    out = run(capsys, ".")[1]
    assert "model.py" in out and "gen.py" not in out


@pytest.mark.parametrize("content,message", [
    ('[tool.tflint]\ntargett = "select"\n', "unknown key(s) targett"),
    ('[tool.tflint]\ntarget = "tpu"\n', "target = 'tpu'"),
    ('[tool.tflint]\nselect = ["E501"]\n', "not a tflint code"),
    ('[tool.tflint\n', "cannot read configuration"),
    ('[tool.tflint]\ntf-version = "2.99"\n', "tf-version: no op knowledge for TensorFlow 2.99 (have: "),
    ('[tool.tflint]\nselect = "TFL1,"\n', "select: empty code in 'TFL1,'"),
])
def test_bad_config_exits_2_with_one_line(project, capsys, content, message):
    (project / "pyproject.toml").write_text(content)
    code, out, err = run(capsys, "model.py")
    assert code == 2 and out == "" and message in err and err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("args,message", [
    (["--tf-version", "2.99"], "--tf-version: no op knowledge for TensorFlow 2.99 (have: "),
    (["--jobs", "0"], "--jobs: '0' is not a positive whole number"),
    (["--jobs", "-3"], "--jobs: '-3' is not a positive whole number"),
    (["--select", ""], "--select: empty code in ''"),
    (["--ignore", "TFL1,,TFL2"], "--ignore: empty code in 'TFL1,,TFL2'"),
    (["--trace-timeout", "-5"], "--trace-timeout: '-5' is not a positive number"),
    (["--trace-timeout", "0"], "--trace-timeout: '0' is not a positive number"),
    (["--target", "tpu"], "--target: invalid choice: 'tpu'"),
    (["--no-such-option"], "unrecognized arguments: --no-such-option"),
])
def test_bad_option_is_one_line_and_exit_2_before_any_linting(project, capsys, args, message):
    try:
        code = main([*args, "model.py"])
    except SystemExit as e:  # argparse's own refusals
        code = e.code
    out, err = capsys.readouterr()
    assert (code, out) == (2, "") and err.startswith("tflint: error: ") and err.count("\n") == 1
    assert message in err


def test_explicit_config_file(project, capsys):
    (project / "other.toml").write_text('ignore = ["TFL1"]\n')
    assert run(capsys, "--config", "other.toml", "model.py")[0] == 0
    code, _, err = run(capsys, "--config", "missing.toml", "model.py")
    assert code == 2 and "no such configuration file" in err


def test_explain_and_list_rules(project, capsys):
    code, out, _ = run(capsys, "--explain", "TFL101")
    assert code == 0 and "## Why it breaks in TFLite" in out and "## Evidence" in out
    code, out, _ = run(capsys, "--list-rules")
    assert code == 0 and "TFL101  no-tflite-kernel" in out and "TFL201  runtime-shape-reshape" in out
    code, _, err = run(capsys, "--explain", "TFL999")
    assert code == 2 and "no rule" in err


def test_list_ops(project, capsys):
    code, out, _ = run(capsys, "--list-ops", "fractional")
    assert code == 0 and "tf.nn.fractional_max_pool" in out and "FractionalMaxPool" in out


def test_statistics(project, capsys):
    (project / "model.py").write_text(BAD_OP + "z = tf.linalg.svd(x)\n")
    out = run(capsys, "--statistics", "model.py")[1]
    assert "2      TFL101 no-tflite-kernel" in out and "2      total" in out


def test_bad_inputs_get_findings_and_others_are_still_linted(project, capsys):
    (project / "syntax.py").write_text("import tensorflow as tf\ndef f(:\n")
    (project / "binary.py").write_bytes(b"import tensorflow\0\x01\x02")
    (project / "latin.py").write_bytes("import tensorflow as tf\n# caf\xe9\n".encode("latin-1"))
    (project / "empty.py").write_text("")
    code, out, err = run(capsys, "syntax.py", "binary.py", "latin.py", "empty.py", "missing.py", "model.py")
    assert code == 1 and "Traceback" not in out + err
    lines = out.splitlines()
    assert any(l.startswith("syntax.py:2:7: TFL001 syntax error") for l in lines)
    assert any(l.startswith("binary.py:1:1: TFL002 binary file") for l in lines)
    assert any(l.startswith("latin.py:2:1: TFL002 cannot decode as utf-8") for l in lines)
    assert any(l.startswith("missing.py:1:1: TFL002 cannot read: No such file or directory") for l in lines)
    assert not any(l.startswith("empty.py") for l in lines)
    assert any(l.startswith("model.py:3:5: TFL101") for l in lines)


def test_fix_rewrites_in_place_and_keeps_noqa_lines(project, capsys):
    source = ("import tensorflow as tf\n"
              "a = tf.reshape(x, [tf.shape(x)[0], 10])\n"
              "b = tf.reshape(x, [tf.shape(x)[0], 10])  # noqa: TFL201\n")
    (project / "model.py").write_text(source)
    code, out, err = run(capsys, "--fix", "model.py")
    assert (project / "model.py").read_text() == source.replace("a = tf.reshape(x, [tf.shape(x)[0], 10])",
                                                                 "a = tf.reshape(x, [-1, 10])")
    assert code == 0 and out == "" and "fixed 1 file" in err


def test_directory_search_skips_environments(project, capsys):
    (project / ".venv" / "lib").mkdir(parents=True)
    (project / ".venv" / "lib" / "x.py").write_text(BAD_OP)
    (project / "pkg").mkdir()
    (project / "pkg" / "m.py").write_text(BAD_OP)
    out = run(capsys)[1]
    assert "pkg/m.py:3:5" in out and ".venv" not in out


def test_static_linting_never_imports_tensorflow(project):
    code = ("import sys\nfrom tflint.frontends.cli import main\nmain(['--format', 'json', 'model.py'])\n"
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TensorFlow was imported'\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["summary"]["errors"] == 1


def test_target_pragma_in_the_file(project, capsys):
    (project / "model.py").write_text("# tflint: target=select\nimport tensorflow as tf\ny = tf.linalg.inv(x)\n")
    doc = json.loads(run(capsys, "--format", "json", "model.py")[1])
    assert doc["diagnostics"][0]["severity"] == "warning"


@pytest.mark.parametrize("pragma", ["# tflint: target = select", "#tflint:target\t=select  # for the phone"])
def test_target_pragma_takes_spaces(project, capsys, pragma):
    (project / "model.py").write_text(f"# a model\n{pragma}\nimport tensorflow as tf\ny = tf.linalg.inv(x)\n")
    [d] = json.loads(run(capsys, "--format", "json", "model.py")[1])["diagnostics"]
    assert (d["code"], d["severity"]) == ("TFL102", "warning")


def test_unknown_pragma_target_is_a_warning_and_the_file_is_still_linted(project, capsys):
    (project / "model.py").write_text("import tensorflow as tf\n# tflint: target = tpu\ny = tf.linalg.inv(x)\n")
    found = json.loads(run(capsys, "--format", "json", "model.py")[1])["diagnostics"]
    assert [(d["line"], d["code"], d["severity"]) for d in found] == [(2, "TFL003", "warning"), (3, "TFL102", "error")]
    assert found[0]["message"] == ("unknown target 'tpu' in the tflint pragma (use one of builtins, select, int8, "
                                   "gpu): linted for builtins")


@pytest.mark.parametrize("comment", ["# flake8: noqa", "  # FLAKE8=NOQA: TFL101"])
def test_file_wide_flake8_noqa_silences_the_file_as_in_flake8(project, capsys, comment):
    (project / "model.py").write_text(f"{BAD_OP}{comment}\n")
    assert run(capsys, "model.py")[:2] == (0, "")
    (project / "model.py").write_text(f"{BAD_OP}x = 1  {comment}\n")  # after code: flake8 ignores it
    assert run(capsys, "model.py")[0] == 1


def test_a_reader_that_leaves_early_gets_no_traceback():
    """`tflint --list-ops | head -1` printed a BrokenPipeError traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "tflint", "--list-ops"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline()  # the reader takes one line, then leaves
    proc.stdout.close()
    assert proc.wait(timeout=60) == 141
    assert proc.stderr.read() == b""
