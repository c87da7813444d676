"""The browser tests skip only when TFLINT_NO_BROWSER=1 says so: a missing browser fails them."""

import pytest

from tests.support.browser import require_browser


def test_no_browser_fails_unless_told_to_skip(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium, no chromedriver
    monkeypatch.delenv("TFLINT_NO_BROWSER", raising=False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium chromium-driver"):
        require_browser()
    monkeypatch.setenv("TFLINT_NO_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception, match="TFLINT_NO_BROWSER=1"):
        require_browser()
