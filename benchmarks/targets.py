"""Issue 11's targets, evaluated on the medians of one run and marked met or missed.

They are never asserted: the machine the suite runs on is shared, and a target is a statement
about ratios measured side by side, which the report shows next to each verdict.
"""

from __future__ import annotations

from typing import Any

# Issue 11's targets, evaluated on medians of one run (never asserted: the machine is shared).
FLOOR_LIMIT = 1.5
"""boursa_db's p50 over the floor's, every read shape (at the deepest history, compressed too)."""
SAME_SQL_LIMITS = {
    "latest_prices": 1.2,
    "latest_prices_1d": 1.2,
    "latest_bar": 1.2,
    "user_by_email": 1.2,
    "portfolio_by_id": 1.2,
    "portfolio_valuation": 1.2,
    "series_30d": 1.3,
}
"""boursa_db's p50 over same-SQL asyncpg's (the cost of the library's mapping and session)."""
DEPTH_LIMIT = 1.3
"""boursa_db's p50 at the deepest history over its own p50 at the shallowest."""
PEER_FLOOR = 1.0
"""Each peer's p50 over boursa_db's, on every shape: boursa_db ahead of each."""
CONCURRENCY_FLOOR = 0.8
"""boursa_db's calls/s over a raw pool's running the floor query."""
INGEST_TARGETS = (
    ("copy", "copy_records_to_table", 1.0),
    ("copy_update_existing", "copy_records_to_table", 0.7),
)
PARALLEL_FLOOR = 1.3
"""The library's parallel ingest's rows/s over one raw COPY's."""
COMPRESSION_FLOOR = 5.6
"""Bytes of one-minute bars in cents before compression over after (all bytes, indexes too)."""
PEERS = ("sqlalchemy_core", "aiosql", "psycopg")


def _check(target: str, value: float | int, met: bool) -> dict[str, Any]:
    return {"target": target, "value": value, "met": met}


def targets(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 11's targets, each with the value measured and whether it was met."""
    checks = []
    for shape, entry in summary["queries"].items():
        ours = entry["results"].get("boursa_db", {})
        if "p50_vs_floor" in ours:
            limit = f"<= {FLOOR_LIMIT}x floor (p50)"
            ratio = ours["p50_vs_floor"]
            checks.append(_check(f"{shape}: boursa_db {limit}", ratio, ratio <= FLOOR_LIMIT))
        if shape in SAME_SQL_LIMITS and "p50_vs_asyncpg" in ours:
            limit_value = SAME_SQL_LIMITS[shape]
            ratio = ours["p50_vs_asyncpg"]
            target = f"{shape}: boursa_db <= {limit_value}x same-SQL asyncpg (p50)"
            checks.append(_check(target, ratio, ratio <= limit_value))
    for peer in PEERS:
        ratios = {
            shape: entry["results"][peer]["p50_vs_boursa_db"]
            for shape, entry in summary["queries"].items()
            if peer in entry["results"] and "p50_vs_boursa_db" in entry["results"][peer]
        }
        if ratios:
            behind = sorted(shape for shape, ratio in ratios.items() if ratio < PEER_FLOOR)
            target = f"boursa_db ahead of {peer} on every shape (lowest {peer} ÷ boursa_db)"
            if behind:
                target += f"; behind on: {', '.join(behind)}"
            checks.append(_check(target, min(ratios.values()), not behind))
    for shape, entry in summary.get("depth", {}).items():
        labels = list(entry["steps"])
        first = entry["steps"][labels[0]].get("boursa_db")
        for label in labels[1:]:
            ours = entry["steps"][label].get("boursa_db")
            if not (first and ours):
                continue
            if label != "compressed":
                ratio = ours["p50_ms"] / first["p50_ms"]
                target = f"{shape} at {label}: boursa_db <= {DEPTH_LIMIT}x its p50 at {labels[0]}"
                checks.append(_check(target, ratio, ratio <= DEPTH_LIMIT))
            deepest = [name for name in labels if name != "compressed"][-1]
            if label in (deepest, "compressed") and "p50_vs_floor" in ours:
                ratio = ours["p50_vs_floor"]
                target = f"{shape} at {label}: boursa_db <= {FLOOR_LIMIT}x floor (p50)"
                checks.append(_check(target, ratio, ratio <= FLOOR_LIMIT))
    concurrency = summary["concurrency"]
    if "vs_floor" in concurrency.get("boursa_db", {}):
        ratio = concurrency["boursa_db"]["vs_floor"]
        target = f"concurrency: boursa_db >= {CONCURRENCY_FLOOR}x floor pool (calls/s)"
        checks.append(_check(target, ratio, ratio >= CONCURRENCY_FLOOR))
    if concurrency:
        errors = sum(result["errors"] for result in concurrency.values())
        checks.append(_check("concurrency: 0 errors", errors, errors == 0))
    ingest = summary["ingest"]
    for way, reference, least in INGEST_TARGETS:
        if way in ingest and reference in ingest:
            ratio = ingest[way]["rows_per_s"] / ingest[reference]["rows_per_s"]
            target = f"ingest: {way} >= {least}x {reference} (rows/s)"
            checks.append(_check(target, ratio, ratio >= least))
    parallel = summary.get("parallel_ingest", {})
    if "copy_parallel" in parallel and "copy_records_to_table_single" in parallel:
        ratio = (
            parallel["copy_parallel"]["rows_per_s"]
            / parallel["copy_records_to_table_single"]["rows_per_s"]
        )
        target = f"ingest: copy_parallel >= {PARALLEL_FLOOR}x one raw COPY (rows/s)"
        checks.append(_check(target, ratio, ratio >= PARALLEL_FLOOR))
    elif "copy_parallel" in summary["machine"].get("skipped", {}):
        reason = summary["machine"]["skipped"]["copy_parallel"]
        checks.append(_check(f"ingest: copy_parallel not measured ({reason})", 0, False))
    compression = summary.get("compression", {})
    if compression:
        ratio = compression["ratio"]
        target = f"compression of one-minute bars in cents >= {COMPRESSION_FLOOR}x (all bytes)"
        checks.append(_check(target, ratio, ratio >= COMPRESSION_FLOOR))
    return checks
