"""The seed's query shapes, one caller at a time: boursa_db against raw asyncpg and the ORM.

Every round is one call of the shape (acquire a pooled connection, run, map, release) driven by
``loop.run_until_complete``; pytest-benchmark keeps every round's time and the report computes
the percentiles from them. A benchmark runs as many rounds as fit in
``size.seconds_per_benchmark`` (at least ``min_rounds``, at most ``max_rounds``), so the
sub-millisecond shapes get a thousand rounds and the ORM's slow ones a few dozen.

Rounds are interleaved: before each timed round of a way, every other non-ORM way of the shape
runs once, untimed. Ratios then compare ways measured under the same conditions (machine load,
heap, caches, connection state) rather than in consecutive blocks, which on a shared 2-core
machine differed by up to 40 % for the same code. ORM calls are not interleaved into the others'
rounds: one of them costs as much as dozens of rounds.

Before timing, every way of a shape must give the same answer.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.dataset import BARS_PER_DAY, Size
from benchmarks.harness import Contenders, Loop, rounds_for
from benchmarks.shapes import SHAPES, Params, Shape

CASES = [(shape, contender) for shape in SHAPES for contender in shape.contenders]
ORM_WAYS = ("sqlalchemy", "sqlalchemy_lateral")


@pytest.mark.parametrize("shape", SHAPES, ids=[shape.name for shape in SHAPES])
def test_every_way_gives_the_same_answer(
    loop: Loop, contenders: Contenders, params: Params, size: Size, shape: Shape
) -> None:
    ways = shape.build(contenders, params)

    answers = {name: answer(loop.run(call())) for name, (call, answer) in ways.items()}

    reference = answers["asyncpg"]
    assert reference, f"{shape.name} found nothing: the dataset is not what the shape expects"
    if shape.name == "series_30d":
        assert len(reference) == min(30, size.main.trading_days) * BARS_PER_DAY
    for name, answer in answers.items():
        assert answer == reference, f"{shape.name}: {name} disagrees with raw asyncpg"


@pytest.mark.parametrize(
    ("shape", "contender"), CASES, ids=[f"{shape.name}-{name}" for shape, name in CASES]
)
def test_query_shape(
    benchmark: Any,
    loop: Loop,
    contenders: Contenders,
    params: Params,
    size: Size,
    shape: Shape,
    contender: str,
) -> None:
    ways = shape.build(contenders, params)
    call, _ = ways[contender]
    driver = loop.driver(call)
    rounds = rounds_for(
        driver, budget=size.seconds_per_benchmark, low=size.min_rounds, high=size.max_rounds
    )
    others = [ways[name][0] for name in shape.contenders if name not in (contender, *ORM_WAYS)]

    async def interleave() -> None:
        for other in others:
            await other()

    benchmark.group = shape.name
    benchmark.extra_info.update(
        kind="query", shape=shape.name, title=shape.title, contender=contender
    )

    benchmark.pedantic(
        driver,
        setup=lambda: loop.run(interleave()),
        rounds=rounds,
        warmup_rounds=max(2, rounds // 20),
        iterations=1,
    )


def test_harness_floor(benchmark: Any, loop: Loop, size: Size) -> None:
    """The cost of driving one coroutine that does nothing: part of every round above."""

    async def nothing() -> None:
        return None

    benchmark.group = "harness"
    benchmark.extra_info.update(kind="harness", shape="harness", contender="event loop")

    benchmark.pedantic(loop.driver(nothing), rounds=size.max_rounds, warmup_rounds=10)
