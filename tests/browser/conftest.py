"""Every test in this folder drives a browser (fixtures `chromium` and `page` in tests/conftest.py)."""

import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
