"""Latency figures per kind of request, and the table that compares Inhouse with the bare app."""

import argparse
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from benchmarks.load import Outcome
from tests.fakes.signing import SlackRequest


@dataclass(frozen=True)
class Kind:
    name: str
    build: Callable[[Any], SlackRequest]  # from the Target it goes to
    ratio_target: float | None = None  # the most Inhouse's p99 may be, as a multiple of the bare app's
    p99_target_ms: float | None = None  # the most Inhouse's p99 may be


@dataclass
class Figures:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def add(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.latencies_ms.append(outcome.seconds * 1000)
            self.statuses[outcome.status] += 1

    def percentile(self, p: float) -> float:
        """Nearest rank: the smallest latency that at least ``p`` percent of requests did not exceed."""
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else math.nan

    @property
    def not_ok(self) -> int:
        return sum(count for status, count in self.statuses.items() if status != 200)


HEADER = (
    f"{'kind':<20} {'n':>5} {'bare p50':>9} {'bare p99':>9} {'inhouse p50':>12} {'inhouse p99':>12} "
    f"{'p99 ratio':>10} {'non-200':>9}  target"
)


def _verdict(kind: Kind, bare: Figures, inhouse: Figures) -> tuple[str, bool]:
    p99 = inhouse.percentile(99)
    if kind.ratio_target is not None:
        met = p99 <= kind.ratio_target * bare.percentile(99)
        return f"p99 ratio <= {kind.ratio_target}: {'met' if met else 'MISSED'}", met
    if kind.p99_target_ms is not None:
        met = p99 <= kind.p99_target_ms
        return f"p99 <= {kind.p99_target_ms:.0f} ms: {'met' if met else 'MISSED'}", met
    return "", True


def _modal_table(kinds: list[Kind], modal_waits: dict[tuple[str, str], Figures]) -> None:
    """How long people looked at the screen before the modal opened: from the command to Slack's views.open."""
    rows = [
        (kind.name, modal_waits[kind.name, "bare"], modal_waits[kind.name, "inhouse"])
        for kind in kinds
        if (kind.name, "bare") in modal_waits and (kind.name, "inhouse") in modal_waits
    ]
    if not rows:
        return
    print(
        f"\n{'modal opened after':<20} {'n':>5} {'bare p50':>9} {'bare p99':>9} {'inhouse p50':>12} {'inhouse p99':>12}"
    )
    for name, bare, inhouse in rows:
        print(
            f"{name:<20} {len(inhouse.latencies_ms):>5} {bare.percentile(50):>9.1f} {bare.percentile(99):>9.1f} "
            f"{inhouse.percentile(50):>12.1f} {inhouse.percentile(99):>12.1f}"
        )


def report(
    args: argparse.Namespace,
    database: str,
    kinds: list[Kind],
    missing: list[str],
    figures: dict[tuple[str, str], Figures],
    *,
    filed: int,
    rows: int,
    modal_waits: dict[tuple[str, str], Figures],
) -> bool:
    """Print the table; whether every target was met."""
    print(
        f"\nAck latency in ms: Inhouse ({database}) and a bare Bolt app, both on gunicorn gthread "
        f"({args.workers} workers x {args.threads} threads), {args.concurrency} concurrent clients, "
        f"{args.rounds} alternating rounds\n"
    )
    print(HEADER)
    all_met, not_ok = True, 0
    for kind in kinds:
        bare, inhouse = figures[kind.name, "bare"], figures[kind.name, "inhouse"]
        verdict, met = _verdict(kind, bare, inhouse)
        all_met &= met
        not_ok += bare.not_ok + inhouse.not_ok
        ratio = inhouse.percentile(99) / bare.percentile(99)
        print(
            f"{kind.name:<20} {len(inhouse.latencies_ms):>5} {bare.percentile(50):>9.1f} {bare.percentile(99):>9.1f} "
            f"{inhouse.percentile(50):>12.1f} {inhouse.percentile(99):>12.1f} {ratio:>10.2f} "
            f"{f'{bare.not_ok}/{inhouse.not_ok}':>9}  {verdict}"
        )
    for name in missing:
        print(f"{name:<20} not available in Inhouse (it answers 404): skipped")
    _modal_table(kinds, modal_waits)
    print(f"\nnon-200 answers (bare/inhouse above): {not_ok}: {'met' if not_ok == 0 else 'MISSED'}")
    statuses = Counter[int]()
    for figure in figures.values():
        statuses.update(figure.statuses)
    if not_ok:
        print(f"answers by status (0: no answer): {dict(statuses)}")
    writes_ok = rows == filed
    print(
        f"writes: {filed} submissions answered 200, {rows} requests in the database: "
        f"{'every one written' if writes_ok else 'MISSING WRITES'}"
    )
    return all_met and not_ok == 0 and writes_ok
