"""Results: pytest-benchmark's raw JSON -> a summary JSON -> the README table and a PNG chart.

::

    python -m benchmarks.report summarize RAW.json OUT.json   # percentiles, ratios, machine
    python -m benchmarks.report                               # README table + PNGs from
                                                              # benchmarks/results/*.json

Percentiles come from the timings of every measured call (kept by the suite in each benchmark's
``extra_info``; pytest-benchmark's raw rounds for ingest; warm-up rounds excluded), by linear
interpolation between the two nearest ranks (numpy's default): for n sorted timings x[0..n-1],
pN = x[k] + (x[k+1] - x[k]) * f where k + f = (n - 1) * N / 100. Ratios compare medians (p50)
of the same run; the p95 ratio is given next to it.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.targets import PEERS, targets

HERE = Path(__file__).parent
RESULTS = HERE / "results"
README = HERE / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

CONTENDER_ORDER = (
    "boursa_db",
    "boursa_db_columns",
    "floor",
    "asyncpg",
    *PEERS,
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
    depth: dict[str, dict[str, Any]] = {}
    ingest: dict[str, Any] = {}
    parallel: dict[str, Any] = {}
    concurrency: dict[str, Any] = {}
    compression: dict[str, Any] = {}
    harness: dict[str, float] = {}
    for bench in raw["benchmarks"]:
        extra, data = bench["extra_info"], bench["stats"]["data"]
        kind, contender = extra.get("kind"), extra.get("contender")
        if kind in ("shape", "step"):
            results = {way: _latency(times) for way, times in extra["timings"].items()}
            _add_ratios(results)
            entry = {"title": extra["title"], "results": results}
            if kind == "shape":
                queries[extra["shape"]] = entry
            else:
                depth.setdefault(extra["shape"], {"title": extra["title"], "steps": {}})
                depth[extra["shape"]]["steps"][extra["step"]] = results
        elif kind == "harness":
            harness = _latency(data)
        elif kind in ("ingest", "parallel_ingest"):
            median = percentile(data, 50)
            (ingest if kind == "ingest" else parallel)[contender] = {
                "rows": extra["rows"],
                "workers": extra.get("workers", 1),
                "rounds": len(data),
                "median_s": median,
                "rows_per_s": extra["rows"] / median,
                "best_rows_per_s": extra["rows"] / min(data),
            }
        elif kind == "compression":
            compression = {
                key: extra[key]
                for key in (
                    "rows",
                    "chunks",
                    "chunk_interval",
                    "before_bytes",
                    "after_bytes",
                    "ratio",
                    "batches",
                    "column_bytes_per_row",
                )
            }
            compression["seconds"] = percentile(data, 50)
        elif kind == "concurrency":
            calls = extra["callers"] * extra["calls_per_caller"]
            for name, kept in extra["contenders"].items():
                concurrency[name] = {
                    **_latency(kept["latencies"]),
                    "callers": extra["callers"],
                    "calls_per_caller": extra["calls_per_caller"],
                    "pool_size": extra["pool_size"],
                    "errors": kept["errors"],
                    "failures": kept.get("failures", {}),
                    "calls_per_s": calls / percentile(kept["bursts"], 50),
                }
    floor_rate = concurrency.get("floor", {}).get("calls_per_s")
    for result in concurrency.values():
        if floor_rate:
            result["vs_floor"] = result["calls_per_s"] / floor_rate
    summary = {
        "machine": info,
        "percentiles": "linear interpolation between nearest ranks over every timed call",
        "harness_floor": harness,
        "queries": queries,
        "depth": depth,
        "ingest": ingest,
        "parallel_ingest": parallel,
        "concurrency": concurrency,
        "compression": compression,
    }
    summary["targets"] = targets(summary)
    return summary


def _add_ratios(results: dict[str, dict[str, float]]) -> None:
    for reference in ("floor", "asyncpg", "boursa_db"):
        base = results.get(reference)
        if not base:
            continue
        for result in results.values():
            result[f"p50_vs_{reference}"] = result["p50_ms"] / base["p50_ms"]
            result[f"p95_vs_{reference}"] = result["p95_ms"] / base["p95_ms"]


# --- rendering ------------------------------------------------------------------------------


def _label(summary: dict[str, Any]) -> str:
    machine = summary["machine"]
    server = f"PostgreSQL {machine.get('postgresql', '?').split()[0]}"
    if machine.get("timescaledb_in_database"):
        server += f" + TimescaleDB {machine['timescaledb_in_database']}"
    return server


def _ms(value: float) -> str:
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _ratio(result: dict[str, Any], key: str) -> str:
    return f"{result[key]:.2f}" if key in result else ""


def _dataset(described: dict[str, Any]) -> str:
    text = (
        f"{described.get('symbols')} symbols, {described.get('minute_bars', 0):,} one-minute bars "
        f"({described.get('trading_days')} sessions), {described.get('daily_bars', 0):,} daily "
        f"bars ({described.get('history_days')} days of history)"
    )
    if described.get("stale_symbol"):
        text += f", `{described['stale_symbol']}` last traded 400 days ago"
    if described.get("hypertable"):
        text += (
            f"; {described['chunks']:,} chunks of {described['chunk_interval']}"
            f" ({described['compressed_chunks']:,} compressed)"
        )
    return text


def _query_table(queries: dict[str, Any]) -> list[str]:
    lines = [
        "| shape | way | p50 ms | p95 ms | p99 ms | ÷ floor (p50) | ÷ floor (p95) "
        "| ÷ same-SQL asyncpg (p50) | ÷ boursa_db (p50) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in queries.values():
        results = entry["results"]
        for way in sorted(results, key=_contender_rank):
            result = results[way]
            lines.append(
                f"| {entry['title']} | {way} | {_ms(result['p50_ms'])} | {_ms(result['p95_ms'])} "
                f"| {_ms(result['p99_ms'])} | {_ratio(result, 'p50_vs_floor')} "
                f"| {_ratio(result, 'p95_vs_floor')} | {_ratio(result, 'p50_vs_asyncpg')} "
                f"| {_ratio(result, 'p50_vs_boursa_db')} |"
            )
    return lines


def _depth_table(depth: dict[str, Any], datasets: dict[str, Any]) -> list[str]:
    labels = list(next(iter(depth.values()))["steps"])
    lines = [
        "Depth of history: boursa_db p50 ms (floor p50 ms; boursa_db ÷ floor; "
        f"boursa_db ÷ its p50 at {labels[0]}):",
        "",
    ]
    for label in labels:
        lines.append(f"- `{label}`: {_dataset(datasets.get(label, {}))}")
    lines += ["", "| shape | " + " | ".join(labels) + " |", "|---|" + "---:|" * len(labels)]
    for entry in depth.values():
        first = entry["steps"].get(labels[0], {}).get("boursa_db")
        cells = []
        for label in labels:
            results = entry["steps"].get(label, {})
            ours, floor = results.get("boursa_db"), results.get("floor")
            if not (ours and floor and first):
                cells.append("")
                continue
            cells.append(
                f"{_ms(ours['p50_ms'])} ({_ms(floor['p50_ms'])}; "
                f"{ours['p50_ms'] / floor['p50_ms']:.2f}x; {ours['p50_ms'] / first['p50_ms']:.2f}x)"
            )
        lines.append(f"| {entry['title']} | " + " | ".join(cells) + " |")
    return lines


def render_markdown(name: str, summary: dict[str, Any], link: str = "results") -> str:
    machine = summary["machine"]
    datasets = machine.get("datasets", {})
    lines = [
        f"### {_label(summary)} ({machine.get('server')}, size `{machine.get('size')}`)",
        "",
        f"{machine.get('cores')} cores ({machine.get('cpu')}), Python {machine.get('python')}, "
        f"asyncpg {machine.get('asyncpg')}, SQLAlchemy {machine.get('sqlalchemy')}, "
        f"aiosql {machine.get('aiosql')}, psycopg {machine.get('psycopg')}. "
        f"Main dataset: {_dataset(datasets.get('main', machine.get('main_dataset', {})))}; "
        f"{machine.get('main_dataset', {}).get('users', 0):,} users. "
        f"Harness floor (driving an empty coroutine): "
        f"{_ms(summary['harness_floor'].get('p50_ms', math.nan))} ms p50. "
        f"Summary: [`{name}.json`]({link}/{name}.json).",
        "",
        *_query_table(summary["queries"]),
    ]
    if summary.get("depth"):
        lines += ["", *_depth_table(summary["depth"], datasets)]
    ingest = summary["ingest"]
    parallel = summary.get("parallel_ingest", {})
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
    if parallel:
        single = parallel.get("copy_records_to_table_single", {}).get("rows_per_s")
        lines += ["", "Parallel ingest of one big batch (median round):", ""]
        lines += ["| way | rows | workers | rows/s | ÷ one raw COPY |", "|---|---:|---:|---:|---:|"]
        for way, result in parallel.items():
            ratio = f"{result['rows_per_s'] / single:.2f}" if single else ""
            lines.append(
                f"| {way} | {result['rows']:,} | {result['workers']} "
                f"| {result['rows_per_s']:,.0f} | {ratio} |"
            )
    compression = summary.get("compression", {})
    if compression:
        per_row = compression["column_bytes_per_row"]
        lines += [
            "",
            f"Compression of {compression['rows']:,} one-minute bars in cents "
            f"({compression['chunks']} chunks of {compression['chunk_interval']}, "
            f"{compression['batches']:,} batches): "
            f"{compression['before_bytes'] / 2**20:.1f} MiB before, "
            f"{compression['after_bytes'] / 2**20:.1f} MiB after, "
            f"**{compression['ratio']:.2f}x** (all bytes, indexes included), reads identical. "
            "Compressed bytes per row by column: "
            + ", ".join(f"{name} {value:.2f}" for name, value in per_row.items())
            + ".",
        ]
    skipped = machine.get("skipped", {})
    for way, reason in skipped.items():
        lines += ["", f"Not measured: `{way}`: {reason}."]
    concurrency = summary["concurrency"]
    if concurrency:
        first = next(iter(concurrency.values()))
        lines += [
            "",
            f"Concurrency: {first['callers']} callers x {first['calls_per_caller']} calls of "
            f"latest prices through a pool of {first['pool_size']} (latency per call, including "
            "the wait for a connection):",
            "",
            "| way | p50 ms | p95 ms | p99 ms | calls/s | ÷ floor (calls/s) | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for way in sorted(concurrency, key=_contender_rank):
            result = concurrency[way]
            lines.append(
                f"| {way} | {_ms(result['p50_ms'])} | {_ms(result['p95_ms'])} "
                f"| {_ms(result['p99_ms'])} | {result['calls_per_s']:,.0f} "
                f"| {_ratio(result, 'vs_floor')} | {result['errors']} |"
            )
        for way, result in concurrency.items():
            for message, count in result.get("failures", {}).items():
                lines.append(f"\n{way}: {count:,} calls failed with `{message}`")
    lines += ["", "Targets (issue 11; medians of this run):", ""]
    for check in summary["targets"]:
        mark = "met" if check["met"] else "**missed**"
        value = check["value"]
        shown = f"{value:.2f}" if isinstance(value, float) else str(value)
        lines.append(f"- {check['target']}: {shown} ({mark})")
    if summary["queries"]:
        lines += ["", f"![{_label(summary)}]({link}/{name}.png)"]
    lines.append("")
    return "\n".join(lines)


def _contender_rank(name: str) -> int:
    return CONTENDER_ORDER.index(name) if name in CONTENDER_ORDER else len(CONTENDER_ORDER)


CHART_WAYS = {
    "boursa_db": "#1f77b4",
    "floor": "#2ca02c",
    "asyncpg": "#7f7f7f",
    "sqlalchemy_core": "#ff7f0e",
    "aiosql": "#9467bd",
    "psycopg": "#8c564b",
    "sqlalchemy": "#d62728",
}


def render_chart(summary: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shapes = list(summary["queries"].values())
    if not shapes:
        return
    figure, axis = plt.subplots(figsize=(14, 6), dpi=100)
    width = 0.8 / len(CHART_WAYS)
    for index, (way, color) in enumerate(CHART_WAYS.items()):
        offset = (index - (len(CHART_WAYS) - 1) / 2) * width
        positions = [slot + offset for slot in range(len(shapes))]
        p50 = [shape["results"].get(way, {}).get("p50_ms", math.nan) for shape in shapes]
        p95 = [shape["results"].get(way, {}).get("p95_ms", math.nan) for shape in shapes]
        axis.bar(positions, p50, width, label=f"{way} p50", color=color)
        axis.scatter(positions, p95, marker="_", s=60, color="black", zorder=3)
    axis.scatter([], [], marker="_", s=60, color="black", label="p95")
    axis.set_yscale("log")
    axis.set_ylabel("latency per call, ms (log scale)")
    axis.set_xticks(range(len(shapes)))
    axis.set_xticklabels([shape["title"] for shape in shapes], rotation=25, ha="right", fontsize=7)
    axis.set_title(f"{_label(summary)}, size {summary['machine'].get('size')}: one caller")
    axis.legend(loc="upper left", fontsize=7, ncol=2)
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
