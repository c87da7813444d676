"""The real-world corpus: the sources of tf-models-official 2.20.0, fetched once with pip."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REQUIREMENT = "tf-models-official==2.20.0"
DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "tflint-bench"


def fetch(cache: Path = DEFAULT_CACHE) -> Path:
    """The unpacked wheel, downloaded (`pip download --no-deps`) and unzipped on first use."""
    unpacked = cache / "src"
    if unpacked.is_dir():
        return unpacked
    cache.mkdir(parents=True, exist_ok=True)
    wheels = list(cache.glob("tf_models_official-*.whl"))
    if not wheels:
        print(f"fetching {REQUIREMENT} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(cache),
                        REQUIREMENT], check=True)
        wheels = list(cache.glob("tf_models_official-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        wheel.extractall(cache / "src.partial")
    (cache / "src.partial").rename(unpacked)
    return unpacked
