"""The floor for a libcst linter: parse every file with libcst and nothing else, on all cores.

    python bench/parse_floor.py --jobs N FOLDER [FOLDER ...]

Same work distribution as tflint's own pool (fork, largest files first, one file per task),
so the two are compared like for like.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys

import libcst as cst


def _parse(path: str) -> None:
    with open(path, "rb") as f:
        data = f.read()
    try:
        cst.parse_module(data)
    except (cst.ParserSyntaxError, RecursionError):
        pass  # a file tflint reports as TFL001 costs the parser just as much


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()
    files = [os.path.join(root, name) for folder in args.folders for root, _, names in os.walk(folder)
             for name in names if name.endswith(".py")]
    files.sort(key=os.path.getsize, reverse=True)
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        for _ in pool.imap_unordered(_parse, files, chunksize=1):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
