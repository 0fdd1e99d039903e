"""What tests that start processes against PostgreSQL and Redis do when one is missing."""

import os

import pytest


def skip_or_fail_without(missing: str | None) -> None:
    """Nothing when `missing` is None; else fail under REQUIRE_SERVICES=1 (CI), skip elsewhere."""
    if missing is None:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"CI needs {missing}")
    pytest.skip(f"needs {missing}; CI runs it")
