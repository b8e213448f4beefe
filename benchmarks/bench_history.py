"""The key shapes at growing depth of history, and on compressed chunks.

Each history step holds the same symbols and one-minute bars with more days of daily bars
(``size.steps``: 30, 300 and 1,100 days for the issue's sizes; on TimescaleDB with one-day
chunks, about as many chunks as days; the results give the catalog's real count). Every shape
marked ``at_every_depth`` answers the same at every step, so its cost should not move with the
depth: the report sets each step's p50 against the shallowest step's. ``boursa_db``, same-SQL
``asyncpg`` and the ``floor`` run round-robin, as in ``bench_queries``.

``compressed`` is a copy of the deepest step with every chunk compressed by
``boursa_db.maintenance.compress_chunks`` (TimescaleDB only; skipped elsewhere). Its answers must
be the uncompressed step's, way by way, before its timings count.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.bench_queries import check_answers, measure
from benchmarks.conftest import COMPRESSED, RUN_INFO, HistorySteps, params_for, selected_size
from benchmarks.harness import Loop
from benchmarks.server import Server
from benchmarks.shapes import SHAPES, STEP_WAYS, Shape
from benchmarks.sizes import Size

DEPTH_SHAPES = [shape for shape in SHAPES if shape.at_every_depth]
LABELS = [step.label for step in selected_size().steps] + [COMPRESSED]
CASES = [(label, shape) for label in LABELS for shape in DEPTH_SHAPES]
IDS = [f"{label}-{shape.name}" for label, shape in CASES]


def _skip_uncompressible(label: str, server: Server) -> None:
    if label == COMPRESSED and server.timescaledb is None:
        pytest.skip("compressed chunks need TimescaleDB; this server has none")


def _ways(steps: HistorySteps, label: str, shape: Shape) -> tuple[dict[str, Any], Any]:
    params = params_for(steps.spec(label))
    built = shape.build(steps.contenders(label), params)
    return {name: built[name] for name in STEP_WAYS}, params


@pytest.mark.parametrize(("label", "shape"), CASES, ids=IDS)
def test_every_way_gives_the_same_answer_at_depth(
    loop: Loop, server: Server, steps: HistorySteps, label: str, shape: Shape
) -> None:
    _skip_uncompressible(label, server)
    ways, params = _ways(steps, label, shape)

    answer = check_answers(loop, shape, ways, params)

    if label == COMPRESSED:
        deepest = selected_size().steps[-1].label
        uncompressed, _ = _ways(steps, deepest, shape)
        call, reduce = uncompressed["boursa_db"]
        assert answer == reduce(loop.run(call())), f"{shape.name}: compression changed the answer"
        assert RUN_INFO["datasets"][COMPRESSED].get("compressed_chunks"), "nothing was compressed"


@pytest.mark.parametrize(("label", "shape"), CASES, ids=IDS)
def test_shape_at_depth(
    benchmark: Any,
    loop: Loop,
    server: Server,
    steps: HistorySteps,
    size: Size,
    label: str,
    shape: Shape,
) -> None:
    _skip_uncompressible(label, server)
    ways, _ = _ways(steps, label, shape)
    benchmark.group = f"depth-{shape.name}"
    benchmark.extra_info.update(kind="step", shape=shape.name, title=shape.title, step=label)

    timings = measure(benchmark, loop, size, ways)

    benchmark.extra_info["timings"] = timings
