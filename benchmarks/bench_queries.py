"""The query shapes, one caller at a time: boursa_db against the floor, same-SQL asyncpg, the
peers and the ORM, on the main dataset.

Each shape is one benchmark. Its ways run round-robin (:class:`benchmarks.harness.RoundRobin`):
every round calls each way once, in a shuffled order, and each call (acquire a pooled
connection, run, map, release, driven by ``loop.run_until_complete``) is timed on its own. A shape
runs as many rounds as fit in ``size.seconds_per_benchmark`` per way (at least ``min_rounds``,
at most ``max_rounds``); the report computes each way's percentiles from its calls. The ORM ways
run in rounds of their own (one ORM call can cost as much as dozens of the others' rounds).

Before timing, every way of a shape must give the same answer, and that answer must be what the
dataset holds (the stale symbol found, the unknown one absent, the whole series).
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.harness import Contenders, Loop, RoundRobin
from benchmarks.shapes import SHAPES, Params, Shape
from benchmarks.sizes import Size

ORM_WAYS = ("sqlalchemy", "sqlalchemy_lateral")


def _ways(shape: Shape, contenders: Contenders, params: Params) -> dict[str, Any]:
    built = shape.build(contenders, params)
    return {name: built[name] for name in shape.contenders}


def check_answers(loop: Loop, shape: Shape, ways: dict[str, Any], params: Params) -> Any:
    """Every way's answer equals the floor's, and the floor's is what the dataset holds."""
    answers = {name: answer(loop.run(call())) for name, (call, answer) in ways.items()}
    reference = answers["floor"]
    shape.check(reference, params)
    for name, answer in answers.items():
        assert answer == reference, f"{shape.name}: {name} disagrees with the floor"
    return reference


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_every_way_gives_the_same_answer(
    loop: Loop, contenders: Contenders, params: Params, shape: Shape
) -> None:
    check_answers(loop, shape, _ways(shape, contenders, params), params)


def measure(benchmark: Any, loop: Loop, size: Size, ways: dict[str, Any]) -> dict[str, list[float]]:
    """Round-robin timings of ``ways`` (the ORM's apart); pytest-benchmark drives the rounds."""
    fast = RoundRobin(
        loop, {name: call for name, (call, _) in ways.items() if name not in ORM_WAYS}
    )
    limits = {"low": size.min_rounds, "high": size.max_rounds}
    rounds = fast.rounds(budget=size.seconds_per_benchmark, **limits)
    for _ in range(max(2, rounds // 20)):
        fast.run_round()
    fast.discard()
    benchmark.pedantic(fast.run_round, rounds=rounds, iterations=1)
    timings = dict(fast.timings)
    orm = {name: call for name, (call, _) in ways.items() if name in ORM_WAYS}
    if orm:
        slow = RoundRobin(loop, orm)
        for _ in range(slow.rounds(budget=size.seconds_per_benchmark, **limits)):
            slow.run_round()
        timings.update(slow.timings)
    return timings


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_query_shape(
    benchmark: Any, loop: Loop, contenders: Contenders, params: Params, size: Size, shape: Shape
) -> None:
    ways = _ways(shape, contenders, params)
    benchmark.group = shape.name
    benchmark.extra_info.update(kind="shape", shape=shape.name, title=shape.title)

    timings = measure(benchmark, loop, size, ways)

    benchmark.extra_info["timings"] = timings


def test_harness_floor(benchmark: Any, loop: Loop, size: Size) -> None:
    """The cost of driving one coroutine that does nothing: part of every round above."""

    async def nothing() -> None:
        return None

    benchmark.group = "harness"
    benchmark.extra_info.update(kind="harness", shape="harness", contender="event loop")

    benchmark.pedantic(loop.driver(nothing), rounds=size.max_rounds, warmup_rounds=10)
