"""The README's usage example runs as written and prints what it says it prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _usage_example() -> str:
    section = README.read_text().split("## Using it", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


async def test_the_usage_example_runs_and_prints_the_latest_price_and_value(
    database_url: str,
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _usage_example()],
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": database_url},
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["452.9", "10006.60"]
