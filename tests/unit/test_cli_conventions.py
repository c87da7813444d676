"""The conventions ruff and flake8 users reach for (issue 15, part 4): one test (or a few) per convention."""

import io
import json
import os
import shutil
import subprocess
import sys

import pytest

from tflint.frontends.cli import main
from tflint.report import text
from tflint.report.diagnostics import Diagnostic, Related, Severity, Span
from tflint.version_spec import satisfies

BAD_OP = "import tensorflow as tf\n\ny = tf.nn.fractional_max_pool(x, r)\n"
FIXABLE = "import tensorflow as tf\ny = tf.reshape(x, [tf.shape(x)[0], 10])\n"
FIXED = "import tensorflow as tf\ny = tf.reshape(x, [-1, 10])\n"
BOTH = FIXABLE + "z = tf.nn.fractional_max_pool(x, r)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    (tmp_path / "model.py").write_text(BAD_OP)
    return tmp_path


def run(capsys, *args):
    code = main(["--no-cache", *args])
    out, err = capsys.readouterr()
    return code, out, err


def run_stdin(capsys, monkeypatch, source: str, *args):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(source.encode())))
    return run(capsys, *args)


# --color, NO_COLOR, FORCE_COLOR


def test_color_always_paints_path_bold_and_code_by_severity(project, capsys):
    (project / "model.py").write_text(BOTH)
    out = run(capsys, "--color", "always", "model.py")[1]
    assert "\x1b[1mmodel.py\x1b[0m:2:5: \x1b[33mTFL201\x1b[0m" in out  # warning: yellow
    assert "\x1b[1mmodel.py\x1b[0m:3:5: \x1b[31mTFL101\x1b[0m" in out  # error: red


def test_color_never_and_other_formats_are_plain(project, capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" not in run(capsys, "--color", "never", "model.py")[1]
    assert json.loads(run(capsys, "--color", "always", "--format", "json", "model.py")[1])["diagnostics"]


def test_color_auto_honours_force_color_and_no_color(project, capsys, monkeypatch):
    assert "\x1b[" not in run(capsys, "model.py")[1]  # auto, not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[31mTFL101" in run(capsys, "model.py")[1]
    assert text.color_wanted("auto", True, {})
    assert not text.color_wanted("auto", True, {"NO_COLOR": "1"})
    assert text.color_wanted("auto", True, {"NO_COLOR": ""})  # no-color.org: set and non-empty
    assert not text.color_wanted("auto", False, {})
    assert text.color_wanted("auto", False, {"FORCE_COLOR": "1"})
    assert not text.color_wanted("never", True, {"FORCE_COLOR": "1"})


def test_color_dims_notes_and_info_is_blue():
    span = Span(3, 5, 3, 9)
    d = Diagnostic("m.py", span, "TFL506", "n", Severity.INFO, "msg", related=(Related("m.py", span, "why"),))
    out = text.render([d], text.Style(color=True)).splitlines()
    assert out == ["\x1b[1mm.py\x1b[0m:3:5: \x1b[34mTFL506\x1b[0m msg", "\x1b[2m    m.py:3:5: note: why\x1b[0m"]


# --output-format (--format kept)


def test_output_format_is_the_name_and_format_its_alias(project, capsys):
    assert run(capsys, "--output-format", "json", "model.py") == run(capsys, "--format", "json", "model.py")
    assert json.loads(run(capsys, "--output-format", "json", "model.py")[1])["summary"]["errors"] == 1
    assert "--output-format" in subprocess.run([sys.executable, "-m", "tflint", "--help"], capture_output=True,
                                               text=True).stdout


# --quiet


def test_quiet_prints_findings_only(project, capsys):
    (project / "model.py").write_text(BOTH)
    code, out, err = run(capsys, "-q", "--fix", "model.py")
    assert out.startswith("model.py:3:5: TFL101") and err == "" and code == 1
    assert (project / "model.py").read_text() == FIXED + "z = tf.nn.fractional_max_pool(x, r)\n"
    (project / "model.py").write_text(BOTH)
    assert "fixed 1 file" in run(capsys, "--fix", "model.py")[2]


def test_quiet_silences_trace_progress_on_a_terminal(project, capsys, monkeypatch):
    from tflint import trace

    given = []

    class Starting:  # what the CLI hands the trace, without starting TensorFlow
        def __init__(self, options):
            given.append(options)

    monkeypatch.setattr(trace, "Starting", Starting)
    monkeypatch.setattr(trace, "run", lambda files, diagnostics, *rest: (diagnostics, []))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    (project / "model.py").write_text(BOTH)
    run(capsys, "-q", "--trace", "model.py")
    run(capsys, "--trace", "model.py")
    assert [trace.progress_for(options) is None for options in given] == [True, False]


# --show-source


def test_show_source_prints_the_line_and_a_caret_under_the_span(project, capsys):
    (project / "model.py").write_text("import tensorflow as tf\nif x:\n\ty = tf.nn.fractional_max_pool(x, r)\n")
    out = run(capsys, "--show-source", "model.py")[1].splitlines()
    assert out[0].startswith("model.py:3:6: TFL101")
    assert out[1] == "\ty = tf.nn.fractional_max_pool(x, r)"
    assert out[2] == "\t    " + "^" * len("tf.nn.fractional_max_pool(x, r)")  # tabs kept: the caret lines up


# --diff and --show-fixes


def test_diff_prints_a_unified_diff_writes_nothing_and_exits_1(project, capsys):
    (project / "model.py").write_text(BOTH)
    code, out, err = run(capsys, "--diff", "model.py")
    assert code == 1 and (project / "model.py").read_text() == BOTH
    assert out.splitlines()[:2] == ["--- model.py", "+++ model.py"]
    assert "-y = tf.reshape(x, [tf.shape(x)[0], 10])\n+y = tf.reshape(x, [-1, 10])\n" in out
    assert "TFL101" not in out and "would fix 1 file" in err
    (project / "model.py").write_text(BAD_OP)  # findings, nothing to fix
    assert run(capsys, "--diff", "model.py")[:2] == (0, "")


def test_diff_applies_with_patch(project, capsys):
    if shutil.which("patch") is None:
        pytest.skip("no patch(1) here")  # the diff's content is checked above either way
    (project / "model.py").write_text(BOTH)
    diff = run(capsys, "--diff", "model.py")[1]
    subprocess.run(["patch", "-p0", "-s"], input=diff, text=True, check=True)
    assert (project / "model.py").read_text() == FIXED + "z = tf.nn.fractional_max_pool(x, r)\n"


def test_show_fixes_lists_available_then_applied_fixes(project, capsys):
    (project / "model.py").write_text(BOTH)
    out = run(capsys, "--show-fixes", "model.py")[1]
    assert "1 finding(s) fixable with --fix:\n  model.py:2:5: TFL201 replace the run-time dimension with -1\n" in out
    out = run(capsys, "--show-fixes", "--fix", "model.py")[1]
    assert "Fixed 1 finding(s):\n  model.py:2:5: TFL201 replace the run-time dimension with -1\n" in out
    assert "fixable" not in out


# --exit-non-zero-on-fix


def test_exit_non_zero_on_fix(project, capsys):
    (project / "model.py").write_text(FIXABLE)
    assert run(capsys, "--fix", "model.py")[0] == 0  # fixed, nothing left
    (project / "model.py").write_text(FIXABLE)
    assert run(capsys, "--fix", "--exit-non-zero-on-fix", "model.py")[0] == 1
    assert (project / "model.py").read_text() == FIXED
    assert run(capsys, "--fix", "--exit-non-zero-on-fix", "model.py")[0] == 0  # nothing fixed this time


# stdin: `tflint -`, --stdin-filename


def test_stdin_is_linted_as_dash(project, capsys, monkeypatch):
    code, out, _ = run_stdin(capsys, monkeypatch, BAD_OP, "-")
    assert code == 1 and out.startswith("-:3:5: TFL101")


def test_stdin_filename_names_the_source_and_picks_its_configuration(project, capsys, monkeypatch):
    (project / "sub").mkdir()
    (project / "sub" / "tflint.toml").write_text('ignore = ["TFL101"]\n')
    code, out, _ = run_stdin(capsys, monkeypatch, BOTH, "--stdin-filename", "sub/m.py")
    assert out.startswith("sub/m.py:2:5: TFL201") and "TFL101" not in out
    assert run_stdin(capsys, monkeypatch, BOTH, "--stdin-filename", "sub/m.py", "-")[1] == out


def test_stdin_fix_prints_the_fixed_source_and_findings_on_stderr(project, capsys, monkeypatch):
    code, out, err = run_stdin(capsys, monkeypatch, BOTH, "--fix", "--stdin-filename", "m.py")
    assert out == FIXED + "z = tf.nn.fractional_max_pool(x, r)\n"
    assert "m.py:3:5: TFL101" in err and code == 1
    assert (project / "model.py").read_text() == BAD_OP  # nothing on disk touched
    (project / "tflint.toml").write_text('exclude = ["gen_*.py"]\n')  # excluded: the buffer comes back as it was
    assert run_stdin(capsys, monkeypatch, BOTH, "--fix", "--stdin-filename", "gen_m.py") == (0, BOTH, "")


@pytest.mark.parametrize("args, message", [
    (["-", "model.py"], "- (stdin) cannot be combined with other paths"),
    (["--stdin-filename", "a.py", "model.py"], "--stdin-filename: only with -"),
    (["--trace", "-"], "--trace cannot read the source from stdin"),
])
def test_stdin_misuse_is_one_line_and_exit_2(project, capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and err.startswith(f"tflint: error: {message}") and err.count("\n") == 1


# --exclude, --extend-exclude, --extend-select, --extend-ignore; the config keys extend-*


def test_extend_select_and_extend_ignore_on_the_command_line(project, capsys):
    (project / "model.py").write_text(BOTH)
    assert "TFL101" in run(capsys, "--select", "TFL2", "--extend-select", "TFL101", "model.py")[1]
    out = run(capsys, "--ignore", "TFL2", "--extend-ignore", "TFL101", "model.py")[1]
    assert out == ""


def test_extend_keys_in_the_config(project, capsys):
    (project / "model.py").write_text(BOTH)
    (project / "tflint.toml").write_text('select = ["TFL2"]\nextend-select = ["TFL101"]\n')
    assert {"TFL101", "TFL201"} <= set(run(capsys, "--format", "json", "model.py")[1].split('"'))
    (project / "tflint.toml").write_text('extend-ignore = ["TFL101"]\n')
    out = run(capsys, "model.py")[1]
    assert "TFL201" in out and "TFL101" not in out
    (project / "tflint.toml").write_text('exclude = ["model.py"]\nextend-exclude = ["other.py"]\n')
    (project / "other.py").write_text(BAD_OP)
    (project / "third.py").write_text(BAD_OP)
    assert run(capsys)[1].startswith("third.py:3:5")
    (project / "tflint.toml").write_text('extend-select = ["F401"]\n')
    assert "extend-select: 'F401' is not a tflint code" in run(capsys)[2]


def test_exclude_replaces_and_extend_exclude_adds(project, capsys):
    (project / "tflint.toml").write_text('exclude = ["model.py"]\n')
    (project / "other.py").write_text(BAD_OP)
    assert run(capsys)[1].startswith("other.py")
    out = run(capsys, "--exclude", "other.py")[1]
    assert out.startswith("model.py") and "other.py" not in out
    assert run(capsys, "--extend-exclude", "other.py")[1] == ""


# respect-gitignore


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_respect_gitignore_skips_what_git_ignores(project, capsys):
    git("init", "-q", ".", cwd=project)
    (project / ".gitignore").write_text("generated/\n")
    (project / "generated").mkdir()
    (project / "generated" / "g.py").write_text(BAD_OP)
    out = run(capsys)[1]
    assert "model.py:3:5" in out and "generated" not in out
    assert "generated/g.py:3:5" in run(capsys, "generated/g.py")[1]  # a file given by name is linted
    assert "generated/g.py:3:5" in run(capsys, "--no-respect-gitignore")[1]
    (project / "tflint.toml").write_text("respect-gitignore = false\n")
    assert "generated/g.py:3:5" in run(capsys)[1]
    assert "generated" not in run(capsys, "--respect-gitignore")[1]  # the command line wins


def test_respect_gitignore_never_fails_without_git(project, capsys, monkeypatch):
    (project / ".git").mkdir()  # looks like a work tree; git is not there to ask
    monkeypatch.setenv("PATH", str(project / "nowhere"))
    code, out, err = run(capsys)
    assert code == 1 and out.startswith("model.py:3:5") and err == ""


# cache-dir


def test_cache_dir_is_relative_to_the_config_file(project, capsys, monkeypatch):
    (project / "sub").mkdir()
    (project / "sub" / "tflint.toml").write_text('cache-dir = "../caches"\n')
    (project / "sub" / "m.py").write_text(BAD_OP)
    (project / "elsewhere").mkdir()
    monkeypatch.chdir(project / "elsewhere")
    main(["../sub"])
    assert [f for f in (project / "caches" / ".tflint_cache").iterdir() if f.name != ".gitignore"]
    assert not (project / "sub" / ".tflint_cache").exists() and not (project / "elsewhere" / ".tflint_cache").exists()


# required-version


@pytest.mark.parametrize("spec, fails", [(">=0.1", False), ("~=0.1", False), (">=99", True), ("==0.0.*", True)])
def test_required_version(project, capsys, spec, fails):
    (project / "tflint.toml").write_text(f'required-version = "{spec}"\n')
    code, _, err = run(capsys, "model.py")
    if fails:
        assert code == 2 and err == f"tflint: error: {project / 'tflint.toml'}: required-version '{spec}' is not met: " \
                                    "this is tflint 0.1.0\n"
    else:
        assert code == 1 and err == ""


def test_malformed_required_version_is_one_line_and_exit_2(project, capsys):
    (project / "tflint.toml").write_text('required-version = "at least 0.1"\n')
    code, _, err = run(capsys, "model.py")
    assert code == 2 and "required-version: 'at least 0.1' is not a version specifier" in err and err.count("\n") == 1


def test_version_specifiers():
    assert satisfies("0.1.0", ">=0.1, <1") and satisfies("0.1.0", "0.1") and satisfies("0.1.0", "!=0.2.*")
    assert not satisfies("0.1.0", ">0.1") and not satisfies("0.1.0", "~=0.0.5")
    for bad in ("", ">=", ">=0.1.*", "~=1", "0.1a1"):
        with pytest.raises(ValueError):
            satisfies("0.1.0", bad)


# configuration found from each file's folder upwards


def test_each_file_uses_the_nearest_configuration(project, capsys):
    (project / "tflint.toml").write_text('target = "builtins"\n')
    (project / "sub" / "deeper").mkdir(parents=True)
    (project / "sub" / "pyproject.toml").write_text('[tool.tflint]\nignore = ["TFL101"]\n')
    (project / "sub" / "deeper" / "m.py").write_text(BOTH)
    (project / "other").mkdir()
    (project / "other" / "pyproject.toml").write_text('[project]\nname = "x"\n')  # no [tool.tflint]: passed over
    (project / "other" / "m.py").write_text(BAD_OP)
    out = run(capsys)[1]
    assert "model.py:3:5: TFL101" in out and "other/m.py:3:5: TFL101" in out
    assert "sub/deeper/m.py:2:5: TFL201" in out and "sub/deeper/m.py:3:5" not in out
    assert run(capsys, "sub/deeper/m.py")[1] == "sub/deeper/m.py:2:5: TFL201" + out.split("sub/deeper/m.py:2:5: TFL201")[1]
    # The command line wins over the nearest file; --config is used for every file.
    assert "sub/deeper/m.py:3:5: TFL101" in run(capsys, "--ignore", "TFL2", "sub")[1]
    assert "sub/deeper/m.py:3:5: TFL101" in run(capsys, "--config", "tflint.toml", "sub")[1]


def test_a_nested_configuration_excludes_under_its_folder(project, capsys):
    (project / "sub").mkdir()
    (project / "sub" / "tflint.toml").write_text('exclude = ["gen"]\n')
    (project / "sub" / "gen").mkdir()
    (project / "sub" / "gen" / "m.py").write_text(BAD_OP)
    (project / "gen").mkdir()
    (project / "gen" / "m.py").write_text(BAD_OP)
    out = run(capsys)[1]
    assert "gen/m.py:3:5" in out and "sub/gen" not in out


# a file-level `# tflint: noqa`


def test_file_level_tflint_noqa_silences_the_file(project, capsys):
    (project / "model.py").write_text("# tflint: noqa\n" + BOTH)
    assert run(capsys, "model.py")[:2] == (0, "")


def test_file_level_tflint_noqa_with_codes_silences_them_across_the_file(project, capsys):
    source = "# TFLint: noqa: TFL2\n" + BOTH + "w = tf.nn.fractional_max_pool(x, r)\n"
    (project / "model.py").write_text(source)
    out = run(capsys, "--fix", "model.py")[1]
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["TFL101", "TFL101"]
    assert (project / "model.py").read_text() == source  # a silenced finding's fix is not applied
    (project / "model.py").write_text("x = 1  # tflint: noqa\n" + BOTH)  # only on a line of its own
    assert "TFL101" in run(capsys, "model.py")[1]


def test_file_level_tflint_noqa_holds_under_flake8_too():
    from tflint.frontends.flake8_plugin import TFLintPlugin

    def codes(source):
        plugin = TFLintPlugin(None, source.splitlines(keepends=True), "m.py")
        return [message.split(" ", 1)[0] for _, _, message, _ in plugin.run()]

    assert codes(BOTH) == ["TFL201", "TFL101"]
    assert codes("# tflint: noqa: TFL101\n" + BOTH) == ["TFL201"]
    assert codes("# tflint: noqa\n" + BOTH) == []


def test_every_option_is_in_the_readme_table_and_the_contracts():
    from pathlib import Path

    from tflint.frontends.cli import build_parser

    root = Path(__file__).resolve().parents[2]
    readme_rows = [line for line in (root / "README.md").read_text().splitlines() if line.startswith("| `-")]
    contracts = (root / "docs" / "CONTRACTS.md").read_text()
    options = [o for action in build_parser()._actions for o in action.option_strings if o not in ("-h", "--help")]
    missing = [o for o in options if not any(f"`{o}" in row or f" {o}`" in row for row in readme_rows)]
    assert missing == [], "options missing from README.md's table"
    assert [o for o in options if f"`{o}" not in contracts] == [], "options missing from docs/CONTRACTS.md"


def test_noqa_silences_trace_findings(project, capsys, monkeypatch):
    """`# noqa: TFL901` on the line a conversion error names, or the file's `# tflint: noqa`,
    silences the --trace finding as it does a static one."""
    from tflint import trace
    from tflint.report.diagnostics import Diagnostic, Severity, Span

    def run_trace(files, diagnostics, settings, *rest):
        found = [Diagnostic("model.py", Span(line, 1, line, 1), "TFL901", "conversion-error",
                            Severity.ERROR, "--trace: the converter failed here") for line in (3, 4)]
        return diagnostics + trace._not_silenced(found, settings), []

    monkeypatch.setattr(trace, "Starting", lambda options: object())
    monkeypatch.setattr(trace, "run", run_trace)
    (project / "model.py").write_text("import tensorflow as tf\n\ny = f(x)  # noqa: TFL901\nz = g(x)\n")
    assert [line.split(": ")[0] for line in run(capsys, "--trace", "model.py")[1].splitlines()
            if "TFL901" in line] == ["model.py:4:1"]
    (project / "model.py").write_text("# tflint: noqa: TFL9\nimport tensorflow as tf\ny = f(x)\nz = g(x)\n")
    assert "TFL901" not in run(capsys, "--trace", "model.py")[1]
