import os
from pathlib import Path

import pytest


def _shared() -> Path:
    env = os.environ.get("ZWGK_SHARED")
    return Path(env) if env else Path(__file__).parents[2].parent / "shared"


@pytest.fixture(scope="session")
def real_pages() -> Path:
    path = _shared() / "real-pages"
    if not path.is_dir():
        pytest.skip("shared real-pages folder not present")
    return path
