"""Test support: drive headless Chromium through chromedriver's W3C HTTP API (urllib only).

Debian's packages: `apt-get install chromium chromium-driver`. Tests marked `browser` use it;
TFLINT_NO_BROWSER=1 skips them (where no browser can be installed), otherwise a missing browser
fails them.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

_ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference


def require_browser() -> tuple[str, str]:
    """The chromium and chromedriver executables; skip only where TFLINT_NO_BROWSER=1 says so."""
    if os.environ.get("TFLINT_NO_BROWSER") == "1":
        pytest.skip("TFLINT_NO_BROWSER=1")
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail("browser tests need chromium and chromedriver (apt-get install chromium chromium-driver), "
                    "or TFLINT_NO_BROWSER=1 to skip them")
    return chromium, driver


class Browser:
    """One headless Chromium session."""

    def __init__(self, chromium: str, driver: str, width: int = 1400, height: int = 900) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait_ready()
        args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"]
        options = {"binary": chromium, "args": args}
        created = self._call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": options}}})
        self.session = f"/session/{created['sessionId']}"

    def _wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self._call("GET", "/status").get("ready"):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("chromedriver did not start")

    def _call(self, method: str, path: str, body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["value"]

    def get(self, url: str) -> None:
        self._call("POST", f"{self.session}/url", {"url": url})

    def find(self, css: str) -> str:
        found = self._call("POST", f"{self.session}/element", {"using": "css selector", "value": css})
        return found[_ELEMENT]

    def type(self, css: str, text: str) -> None:
        self._call("POST", f"{self.session}/element/{self.find(css)}/value", {"text": text})

    def click(self, css: str) -> None:
        self._call("POST", f"{self.session}/element/{self.find(css)}/click", {})

    def run(self, script: str, *args):
        return self._call("POST", f"{self.session}/execute/sync", {"script": script, "args": list(args)})

    def close(self) -> None:
        try:
            self._call("DELETE", self.session)
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)
