"""What git ignores (`respect-gitignore`): asked of git itself, so every .gitignore, .git/info/exclude
and core.excludesFile counts as git counts it. Outside a git work tree, or without a working git,
nothing is ignored: this never fails a run."""

from __future__ import annotations

import os


def ignored(paths: list[str]) -> set[str]:
    """Those of `paths` (files found by searching folders) that git ignores; tracked files never are."""
    out: set[str] = set()
    for top, group in _by_work_tree(paths).items():
        out.update(_check_ignore(top, group))
    return out


def _by_work_tree(paths: list[str]) -> dict[str, list[str]]:
    """The paths grouped by the folder holding their work tree's `.git` (paths in none are left out)."""
    groups: dict[str, list[str]] = {}
    tops: dict[str, str | None] = {}
    folders: dict[str, str | None] = {}  # as written in the paths: one abspath per folder, not per file
    for path in paths:
        folder = os.path.dirname(path)
        if folder not in folders:
            folders[folder] = _work_tree(os.path.abspath(folder), tops)
        if folders[folder] is not None:
            groups.setdefault(folders[folder], []).append(path)
    return groups


def _work_tree(folder: str, tops: dict[str, str | None]) -> str | None:
    if folder not in tops:
        parent = os.path.dirname(folder)
        if os.path.exists(os.path.join(folder, ".git")):
            tops[folder] = folder
        else:
            tops[folder] = None if parent == folder else _work_tree(parent, tops)
    return tops[folder]


def _check_ignore(top: str, paths: list[str]) -> list[str]:
    import subprocess  # only where there is a work tree: a warm run elsewhere stays lean

    absolute = {os.path.abspath(p): p for p in paths}
    try:
        done = subprocess.run(["git", "-C", top, "check-ignore", "--stdin", "-z"], capture_output=True, timeout=60,
                              input=b"\0".join(os.fsencode(p) for p in absolute) + b"\0")
    except (OSError, subprocess.SubprocessError):  # no git, or it hung
        return []
    if done.returncode not in (0, 1):  # 1: nothing ignored; anything else: git could not say
        return []
    return [absolute[name] for name in map(os.fsdecode, done.stdout.split(b"\0")) if name in absolute]
