"""What git ignores (`respect-gitignore`): asked of git itself, so every .gitignore, .git/info/exclude
and core.excludesFile counts as git counts it. Outside a git work tree, or without a working git,
nothing is ignored: this never fails a run."""

from __future__ import annotations

import os


def ignored(folder: str, paths: list[str]) -> set[str]:
    """Those of `paths` (files found by searching `folder`) that git ignores; tracked files never are."""
    top = _work_tree(os.path.abspath(folder)) if paths else None
    return _check_ignore(top, paths) if top is not None else set()


def _work_tree(folder: str) -> str | None:
    """The folder holding the `.git` of the work tree `folder` is in, if any."""
    while not os.path.exists(os.path.join(folder, ".git")):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    return folder


def _check_ignore(top: str, paths: list[str]) -> set[str]:
    import subprocess  # only where there is a work tree: a warm run elsewhere stays lean

    absolute = {os.path.abspath(p): p for p in paths}
    try:
        done = subprocess.run(["git", "-C", top, "check-ignore", "--stdin", "-z"], capture_output=True, timeout=60,
                              input=b"\0".join(os.fsencode(p) for p in absolute) + b"\0")
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return set()
    if done.returncode not in (0, 1):  # 1: nothing ignored; anything else: git could not say
        return set()
    return {absolute[name] for name in map(os.fsdecode, done.stdout.split(b"\0")) if name in absolute}
