"""Work handed to worker processes a chunk of jobs at a time, results back in order.

`in_chunks` spreads one function over a pool. `two_steps` sends each chunk twice to the same
worker (one process each): a first step whose results the parent answers (the register
numbers the chunk), then a second step given the answer; the worker keeps what the first
step made in between, so only small messages travel.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from itertools import chain
from typing import Any, Protocol

AHEAD = 4  # chunks waiting for each core, so that no worker waits for the parent


class Worker(Protocol):
    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]: ...
    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None: ...


class Here:
    """A worker that is this process: the work is done when it is handed over."""

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        return None


def spans(total: int, shrink: bool = True) -> list[range]:
    """The chunks of `total` jobs: a few chunks per core, never more than 64 jobs, and
    with `shrink` smaller as fewer jobs are left (down to 4), so that the workers end
    together."""
    share = 4 * (os.cpu_count() or 1)
    whole = max(1, min(64, total // share))
    least = min(4, whole) if shrink else whole
    out, start = [], 0
    while start < total:
        step = max(least, min(64, (total - start) // share))
        out.append(range(start, min(start + step, total)))
        start += step
    return out


def in_chunks(
    pool: ProcessPoolExecutor | None, fn: Callable[..., Any], *args: list[Any]
) -> Iterator[list[Any]]:
    """`fn` over the `args` lists, in order, a list of results at a time: one by one in
    this process without a `pool`, else in chunks handed to the workers, only a few at a
    time, so that neither side holds more than those."""
    if pool is None:
        yield from ([result] for result in map(fn, *args))
        return
    cores = os.cpu_count() or 1
    chunks = iter(spans(len(args[0])))
    pending: deque[Future[list[Any]]] = deque()

    def submit() -> None:
        chunk = next(chunks, None)
        if chunk is not None:
            pending.append(pool.submit(_call, fn, *(a[chunk.start : chunk.stop] for a in args)))

    for _chunk in range(AHEAD * cores):
        submit()
    while pending:
        chunk = pending.popleft().result()
        submit()
        yield chunk


def mapped(
    pool: ProcessPoolExecutor | None, fn: Callable[..., Any], *args: list[Any]
) -> Iterator[Any]:
    """`in_chunks`, one result at a time."""
    return chain.from_iterable(in_chunks(pool, fn, *args))


def _call(fn: Callable[..., Any], *args: list[Any]) -> list[Any]:
    return list(map(fn, *args))


def two_steps(
    workers: list[Worker],
    items: list[Any],
    first: tuple[Callable[..., Any], Callable[[list[Any]], tuple[Any, ...]]],
    then: Callable[[list[tuple[list[Any], Any]], bool], list[tuple[Any, ...]] | None],
    second: Callable[..., Any],
) -> Iterator[Any]:
    """The results of `second` for each chunk of `items`, in order. `first` is the
    function and how to call it on a chunk; a chunk goes to the least busy worker. The
    parent answers the chunks whose first step is done, in order, with `then(ready,
    last)`: the arguments of `second` for each (None: not yet, more chunks are needed to
    decide; `last`: no more will come), which runs on the worker of its chunk. Its chunks
    keep their size to the end: the parent's answers are register transactions, each
    synced to disk."""
    chunks = iter([items[c.start : c.stop] for c in spans(len(items), shrink=False)])
    run, args = first
    firsts: deque[tuple[list[Any], int, Future[Any]]] = deque()
    ready: list[tuple[list[Any], Any]] = []
    on: list[int] = []  # the worker of each ready chunk
    seconds: deque[tuple[int, Future[Any]]] = deque()
    limit, left = AHEAD * len(workers), True

    def busy(w: int) -> int:
        given = chain(((x, f) for _s, x, f in firsts), seconds)
        return sum(1 for x, f in given if x == w and not f.done())

    while True:
        while left and len(firsts) + len(seconds) < limit:
            span = next(chunks, None)
            if span is None:
                left = False
                break
            w = min(range(len(workers)), key=busy)
            firsts.append((span, w, workers[w].submit(run, *args(span))))
        while firsts and firsts[0][2].done():
            span, w, future = firsts.popleft()
            ready.append((span, future.result()))
            on.append(w)
        answers = then(ready, not (left or firsts)) if ready else None
        if answers is not None:
            for w, answer in zip(on, answers, strict=True):
                seconds.append((w, workers[w].submit(second, *answer)))
            ready, on = [], []
        if seconds and seconds[0][1].done():
            yield seconds.popleft()[1].result()
            continue
        oldest = [q[0][-1] for q in (firsts, seconds) if q]
        if oldest:
            wait(oldest, return_when=FIRST_COMPLETED)
        elif not (left or ready):
            return
