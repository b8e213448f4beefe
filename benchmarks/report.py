"""Results: pytest-benchmark's raw JSON -> a summary JSON -> the README table and a PNG chart.

::

    python -m benchmarks.report summarize RAW.json OUT.json   # percentiles, ratios, machine
    python -m benchmarks.report                               # README table + PNGs from
                                                              # benchmarks/results/*.json

Percentiles come from the raw per-round timings pytest-benchmark keeps with
``--benchmark-save-data`` (warm-up rounds excluded), by linear interpolation between the two
nearest ranks (numpy's default, ``statistics.quantiles(..., method="inclusive")``): for n sorted
timings x[0..n-1], pN = x[k] + (x[k+1] - x[k]) * f where k + f = (n - 1) * N / 100. Ratios
compare medians (p50) of the same run; the p95 ratio is given next to it.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
RESULTS = HERE / "results"
README = HERE / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

# (shape, contender, reference, limit): boursa_db's median over the reference's, at most limit.
QUERY_TARGETS = (
    ("latest_prices", "boursa_db", "asyncpg", 1.2),
    ("user_by_email", "boursa_db", "asyncpg", 1.2),
    ("portfolio_valuation", "boursa_db", "asyncpg", 1.2),
    ("portfolio_by_id", "boursa_db", "asyncpg", 1.2),
    ("series_30d", "boursa_db", "asyncpg", 1.3),
)
PROTOTYPE = "boursa_db_no_tx"
# (way, reference, floor): rows per second of the way over the reference's, at least floor.
INGEST_TARGETS = (
    ("copy", "copy_records_to_table", 0.9),
    ("copy_skip", "copy_records_to_table", 0.5),
    ("copy_update", "copy_records_to_table", 0.5),
)
CONTENDER_ORDER = (
    "boursa_db",
    "boursa_db_columns",
    "boursa_db_no_tx",
    "asyncpg",
    "sqlalchemy",
    "sqlalchemy_lateral",
)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * share / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _latency(values: Sequence[float]) -> dict[str, float]:
    milliseconds = [value * 1000 for value in values]
    return {
        "p50_ms": percentile(milliseconds, 50),
        "p95_ms": percentile(milliseconds, 95),
        "p99_ms": percentile(milliseconds, 99),
        "mean_ms": sum(milliseconds) / len(milliseconds),
        "min_ms": min(milliseconds),
        "max_ms": max(milliseconds),
        "rounds": len(milliseconds),
    }


def summarize(raw: dict[str, Any]) -> dict[str, Any]:
    """The summary of one pytest-benchmark JSON (run with ``--benchmark-save-data``)."""
    info = dict(raw["machine_info"].get("boursa_bench", {}))
    info["cpu"] = raw["machine_info"].get("cpu", {}).get("brand_raw")
    queries: dict[str, dict[str, Any]] = {}
    ingest: dict[str, Any] = {}
    concurrency: dict[str, Any] = {}
    scaling: dict[str, dict[str, dict[str, Any]]] = {}
    harness: dict[str, float] = {}
    for bench in raw["benchmarks"]:
        extra, data = bench["extra_info"], bench["stats"]["data"]
        kind, contender = extra.get("kind"), extra.get("contender")
        if kind == "query":
            shape = queries.setdefault(extra["shape"], {"title": extra["title"], "results": {}})
            shape["results"][contender] = _latency(data)
        elif kind == "harness":
            harness = _latency(data)
        elif kind == "ingest":
            median = percentile(data, 50)
            ingest[contender] = {
                "rows": extra["rows"],
                "rounds": len(data),
                "median_s": median,
                "rows_per_s": extra["rows"] / median,
                "best_rows_per_s": extra["rows"] / min(data),
            }
        elif kind == "concurrency":
            calls = extra["callers"] * extra["calls_per_caller"]
            concurrency[contender] = {
                **_latency(extra["latencies"]),
                "callers": extra["callers"],
                "calls_per_caller": extra["calls_per_caller"],
                "pool_size": extra["pool_size"],
                "errors": extra["errors"],
                "calls_per_s": calls / percentile(data, 50),
            }
        elif kind == "scaling":
            by_factor = scaling.setdefault(extra["shape"], {}).setdefault(str(extra["factor"]), {})
            by_factor[contender] = {
                **_latency(data),
                "minute_bars": extra["minute_bars"],
                "rows": extra["rows"],
            }
    for shape in queries.values():
        _add_ratios(shape["results"])
    return {
        "machine": info,
        "percentiles": "linear interpolation between nearest ranks over every timed round",
        "harness_floor": harness,
        "queries": queries,
        "ingest": ingest,
        "concurrency": concurrency,
        "scaling": scaling,
        "targets": _targets(queries, ingest, concurrency),
    }


def _add_ratios(results: dict[str, dict[str, float]]) -> None:
    raw, orm = results.get("asyncpg"), results.get("sqlalchemy")
    for result in results.values():
        if raw:
            result["p50_vs_asyncpg"] = result["p50_ms"] / raw["p50_ms"]
            result["p95_vs_asyncpg"] = result["p95_ms"] / raw["p95_ms"]
        if orm:
            result["p50_vs_sqlalchemy"] = result["p50_ms"] / orm["p50_ms"]


def _targets(
    queries: dict[str, Any], ingest: dict[str, Any], concurrency: dict[str, Any]
) -> list[dict[str, Any]]:
    checks = []
    for shape, contender, reference, limit in QUERY_TARGETS:
        results = queries.get(shape, {}).get("results", {})
        for way in (contender, PROTOTYPE):
            if way in results and reference in results:
                ratio = results[way]["p50_ms"] / results[reference]["p50_ms"]
                note = " [prototype, not the library]" if way == PROTOTYPE else ""
                checks.append(
                    {
                        "target": f"{shape}: {way} <= {limit}x {reference} (p50){note}",
                        "value": ratio,
                        "met": ratio <= limit,
                    }
                )
    for way, reference, floor in INGEST_TARGETS:
        if way in ingest and reference in ingest:
            ratio = ingest[way]["rows_per_s"] / ingest[reference]["rows_per_s"]
            checks.append(
                {
                    "target": f"ingest: {way} >= {floor}x {reference} (rows/s)",
                    "value": ratio,
                    "met": ratio >= floor,
                }
            )
    if "boursa_db" in concurrency:
        errors = concurrency["boursa_db"]["errors"]
        checks.append({"target": "concurrency: 0 errors", "value": errors, "met": errors == 0})
    return checks


# --- rendering ------------------------------------------------------------------------------


def _label(summary: dict[str, Any]) -> str:
    machine = summary["machine"]
    server = f"PostgreSQL {machine.get('postgresql', '?').split()[0]}"
    if machine.get("timescaledb_in_database"):
        server += f" + TimescaleDB {machine['timescaledb_in_database']}"
    return server


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def render_markdown(name: str, summary: dict[str, Any], link: str = "results") -> str:
    machine = summary["machine"]
    dataset = machine.get("main_dataset", {})
    lines = [
        f"### {_label(summary)} ({machine.get('server')}, size `{machine.get('size')}`)",
        "",
        f"{machine.get('cores')} cores ({machine.get('cpu')}), Python {machine.get('python')}, "
        f"asyncpg {machine.get('asyncpg')}, SQLAlchemy {machine.get('sqlalchemy')}; "
        f"{dataset.get('minute_bars', 0):,} one-minute bars ({dataset.get('symbols')} symbols x "
        f"{dataset.get('trading_days')} days), {dataset.get('users', 0):,} users. "
        f"Harness floor (driving an empty coroutine): "
        f"{_ms(summary['harness_floor'].get('p50_ms', math.nan))} ms p50. "
        f"Summary: [`{name}.json`]({link}/{name}.json).",
        "",
        "| shape | way | p50 ms | p95 ms | p99 ms | ÷ asyncpg (p50) | ÷ asyncpg (p95) "
        "| ORM ÷ this (p50) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for shape in summary["queries"].values():
        results = shape["results"]
        orm = results.get("sqlalchemy")
        for contender in sorted(results, key=_contender_rank):
            result = results[contender]
            speedup = f"{orm['p50_ms'] / result['p50_ms']:.1f}x" if orm else ""
            lines.append(
                f"| {shape['title']} | {contender} | {_ms(result['p50_ms'])} "
                f"| {_ms(result['p95_ms'])} | {_ms(result['p99_ms'])} "
                f"| {result.get('p50_vs_asyncpg', math.nan):.2f} "
                f"| {result.get('p95_vs_asyncpg', math.nan):.2f} | {speedup} |"
            )
    ingest = summary["ingest"]
    if ingest:
        raw_copy = ingest.get("copy_records_to_table", {}).get("rows_per_s")
        lines += [
            "",
            f"Ingest of {next(iter(ingest.values()))['rows']:,} one-minute bars per round "
            "(median round):",
            "",
            "| way | rows/s | ÷ copy_records_to_table |",
            "|---|---:|---:|",
        ]
        for way, result in ingest.items():
            measured = raw_copy and way != "build_market_bars"
            ratio = f"{result['rows_per_s'] / raw_copy:.2f}" if measured else "(no I/O)"
            lines.append(f"| {way} | {result['rows_per_s']:,.0f} | {ratio} |")
    concurrency = summary["concurrency"]
    if concurrency:
        first = next(iter(concurrency.values()))
        lines += [
            "",
            f"Concurrency: {first['callers']} callers x {first['calls_per_caller']} calls of "
            f"latest prices through a pool of {first['pool_size']} (latency per call, including "
            "the wait for a connection):",
            "",
            "| way | p50 ms | p95 ms | p99 ms | calls/s | errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for contender, result in concurrency.items():
            lines.append(
                f"| {contender} | {_ms(result['p50_ms'])} | {_ms(result['p95_ms'])} "
                f"| {_ms(result['p99_ms'])} | {result['calls_per_s']:,.0f} | {result['errors']} |"
            )
    scaling = summary["scaling"]
    if scaling:
        lines += [
            "",
            "Scaling (boursa_db p50 / p95 ms; asyncpg p50 in brackets):",
            "",
            "| shape | " + " | ".join(f"{factor}x" for factor in _factors(scaling)) + " |",
            "|---|" + "---:|" * len(_factors(scaling)),
        ]
        for shape, by_factor in scaling.items():
            cells = []
            for factor in _factors(scaling):
                result = by_factor.get(factor, {})
                ours, raw = result.get("boursa_db"), result.get("asyncpg")
                if ours and raw:
                    cells.append(
                        f"{_ms(ours['p50_ms'])} / {_ms(ours['p95_ms'])} ({_ms(raw['p50_ms'])}) "
                        f"<br>{ours['minute_bars']:,} bars"
                    )
                else:
                    cells.append("")
            lines.append(f"| {shape} | " + " | ".join(cells) + " |")
    lines += ["", "Targets:", ""]
    for check in summary["targets"]:
        mark = "met" if check["met"] else "**missed**"
        value = check["value"]
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        lines.append(f"- {check['target']}: {shown} ({mark})")
    if summary["queries"]:
        lines += ["", f"![{_label(summary)}]({link}/{name}.png)"]
    lines.append("")
    return "\n".join(lines)


def _factors(scaling: dict[str, dict[str, Any]]) -> list[str]:
    return sorted({factor for by_factor in scaling.values() for factor in by_factor}, key=int)


def _contender_rank(name: str) -> int:
    return CONTENDER_ORDER.index(name) if name in CONTENDER_ORDER else len(CONTENDER_ORDER)


def render_chart(summary: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shapes = list(summary["queries"].values())
    if not shapes:
        return
    contenders = ["boursa_db", "asyncpg", "sqlalchemy"]
    colors = {"boursa_db": "#1f77b4", "asyncpg": "#7f7f7f", "sqlalchemy": "#d62728"}
    figure, axis = plt.subplots(figsize=(10, 5.2), dpi=110)
    width = 0.26
    for index, contender in enumerate(contenders):
        positions = [slot + (index - 1) * width for slot in range(len(shapes))]
        p50 = [shape["results"].get(contender, {}).get("p50_ms", math.nan) for shape in shapes]
        p95 = [shape["results"].get(contender, {}).get("p95_ms", math.nan) for shape in shapes]
        axis.bar(positions, p50, width, label=f"{contender} p50", color=colors[contender])
        axis.scatter(positions, p95, marker="_", s=180, color="black", zorder=3)
    axis.scatter([], [], marker="_", s=180, color="black", label="p95")
    axis.set_yscale("log")
    axis.set_ylabel("latency per call, ms (log scale)")
    axis.set_xticks(range(len(shapes)))
    axis.set_xticklabels([shape["title"] for shape in shapes], rotation=15, ha="right")
    axis.set_title(f"{_label(summary)}: one caller, same SQL for boursa_db and asyncpg")
    axis.legend(loc="upper left", fontsize=8)
    axis.grid(axis="y", which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def render(results: Path = RESULTS, readme: Path = README) -> None:
    """Rewrite the results section of the README and one PNG per summary JSON."""
    sections = []
    link = os.path.relpath(results.resolve(), readme.parent.resolve())
    for path in sorted(results.glob("*.json")):
        summary = json.loads(path.read_text())
        render_chart(summary, path.with_suffix(".png"))
        sections.append(render_markdown(path.stem, summary, link))
    text = readme.read_text()
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    readme.write_text(head + BEGIN + "\n\n" + "\n".join(sections) + "\n" + END + tail)


def main(arguments: Sequence[str]) -> int:
    if arguments and arguments[0] == "summarize":
        raw_path, out_path = Path(arguments[1]), Path(arguments[2])
        summary = summarize(json.loads(raw_path.read_text()))
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(summary, indent=1, sort_keys=False) + "\n")
        return 0
    if arguments:
        print(__doc__, file=sys.stderr)
        return 2
    render()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
