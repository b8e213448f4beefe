"""Run the whole suite, then summarize and render it: the one command of ``benchmarks/README.md``.

::

    python -m benchmarks.run                         # default size, embedded PostgreSQL
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python -m benchmarks.run
    python -m benchmarks.run --size smoke --output /tmp/bench   # CI: tiny, results elsewhere
    DATABASE_URL=... python -m benchmarks.run --size history    # issue 11: years of history

It runs ``pytest benchmarks/`` with ``BOURSA_BENCH_SIZE`` set and pytest-benchmark's raw data
kept, writes ``<output>/<size>-<server>.json`` (percentiles, ratios, machine) and re-renders the
tables and charts of every summary in ``<output>`` (into ``benchmarks/README.md`` for the default
output folder, else into ``<output>/README.md``). Arguments after ``--`` go to pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.report import BEGIN, END, README, RESULTS, render, summarize
from benchmarks.sizes import SIZES


def _label(summary: dict[str, object]) -> str:
    machine = summary["machine"]
    assert isinstance(machine, dict)
    major = str(machine.get("postgresql", "unknown")).split(".")[0].split()[0]
    server = f"postgresql{major}"
    if machine.get("timescaledb_in_database"):
        server += "-timescaledb"
    return f"{machine.get('size')}-{server}"


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--size", default="default", choices=tuple(SIZES))
    parser.add_argument("--output", type=Path, default=RESULTS, help="folder of the summaries")
    parser.add_argument("pytest_args", nargs="*", help="after --: more pytest arguments")
    options = parser.parse_args(arguments)
    options.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="boursa-bench-") as scratch:
        raw_path = Path(scratch, "raw.json")
        command = [
            sys.executable,
            "-m",
            "pytest",
            str(Path(__file__).parent),
            "-p",
            "no:cacheprovider",
            f"--benchmark-json={raw_path}",
            "--benchmark-save-data",
            "--benchmark-sort=name",
            "--benchmark-columns=median,iqr,min,max,rounds",
            *options.pytest_args,
        ]
        environment = {**os.environ, "BOURSA_BENCH_SIZE": options.size}
        status = subprocess.run(command, env=environment, check=False).returncode
        if status != 0 or not raw_path.exists():
            return status or 1
        summary = summarize(json.loads(raw_path.read_text()))
    out_path = options.output / f"{_label(summary)}.json"
    out_path.write_text(json.dumps(summary, indent=1) + "\n")
    readme = (
        README if options.output.resolve() == RESULTS.resolve() else options.output / "README.md"
    )
    if not readme.exists():
        readme.write_text(f"# Benchmark results\n\n{BEGIN}\n{END}\n")
    render(options.output, readme)
    print(f"[bench] wrote {out_path} and rendered {readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
