"""TFL0xx: the file itself cannot be linted. The engine reports these; the classes carry the docs."""

from tflint.api import Example, Rule, Severity


class SyntaxErrorRule(Rule):
    """The file cannot be parsed as Python.

    ## What it does
    Reports a file that names TensorFlow or Keras but is not valid Python, at the line
    where the parser stopped. Errors that Python's compiler finds in parsed code (`return`
    outside a function) are reported in the files that tflint's rules go on to read.

    ## Why it breaks in TFLite
    Nothing in the file can be imported, traced or converted, and no other rule can check it.

    ## Example
    ```python
    import tensorflow as tf
    def model(x)
        return tf.nn.relu(x)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    def model(x):
        return tf.nn.relu(x)
    ```

    ## Evidence
    Python's own `SyntaxError`; the converter never sees such a file.
    """

    code = "TFL001"
    name = "syntax-error"
    severity = Severity.ERROR
    VALID = (Example("""
                 import tensorflow as tf
                 x = tf.constant(1)
             """),)
    INVALID = (Example("""
                   import tensorflow as tf
                   def model(x)  # TFL001
                       return x
               """),)


class UnreadableFileRule(Rule):
    """The file cannot be read or decoded as Python source.

    ## What it does
    Reports a path that does not exist or cannot be read, a directory given where a file
    was expected, a binary file (NUL bytes) and text that does not decode in its declared
    encoding (UTF-8 unless a PEP 263 `coding:` line says otherwise).

    ## Why it breaks in TFLite
    Python cannot import the file, so its model can never be traced or converted.

    ## Example
    A file saved as Latin-1 with `é` in a comment and no `# -*- coding: latin-1 -*-` line.

    ## Use instead
    Save the file as UTF-8, or declare its encoding on the first or second line.

    ## Evidence
    Python's own `SyntaxError: Non-UTF-8 code starting with ...` on import.
    """

    code = "TFL002"
    name = "unreadable-file"
    severity = Severity.ERROR
    VALID = (Example("""
                 # -*- coding: utf-8 -*-
                 import tensorflow as tf
             """),)
    INVALID = (Example("import tensorflow as tf  # TFL002\nx = '\0'\n"),)


class AnalysisErrorRule(Rule):
    """tflint could not finish analysing the file.

    ## What it does
    Reports a file whose analysis stopped, for example because its code is nested more
    deeply than the analysis can follow, or because of a bug in tflint. The other files of
    the run are still linted. Two cases are warnings: a file too large to analyse (no rule
    checked it), and a `# tflint: target=` pragma naming an unknown target (the file is
    linted for the configured target).

    ## Why it breaks in TFLite
    It may not: this says only that tflint could not check the file. Run `tflint --trace`
    on it to let the converter judge.

    ## Example
    An expression nested a thousand levels deep.

    ## Use instead
    Split the expression; if the file is ordinary code, report the message as a tflint bug.

    ## Evidence
    None from the converter: this is tflint's own limit.
    """

    code = "TFL003"
    name = "analysis-error"
    severity = Severity.ERROR
    VALID = (Example("""
                 import tensorflow as tf
                 x = ((((1))))
             """),)
    INVALID = ()
