"""The benchmark programs written in plain Python, one function per Tengo program."""

from __future__ import annotations

import json
from typing import Any


def fib() -> Any:
    def f(n: int) -> int:
        if n < 2:
            return n
        return f(n - 1) + f(n - 2)

    return f(30)


def loop_sum() -> Any:
    total = 0
    for i in range(10_000_000):
        total += i
    return total


def tail_call() -> Any:
    # CPython has no tail calls: the loop is what a tail call becomes.
    n, acc = 10_000_000, 0
    while n != 0:
        n, acc = n - 1, acc + 1
    return acc


def strings() -> Any:
    parts = []
    for i in range(200_000):
        parts.append("item" + str(i))
    return len(",".join(parts))


def maps() -> Any:
    m = {}
    for i in range(200_000):
        m["k" + str(i)] = i
    total = 0
    for i in range(200_000):
        total += m["k" + str(i)]
    return total


def sort() -> Any:
    n = 200_000
    a = []
    x = 12345
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        a.append(x)
    b = list(a)
    width = 1
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            i, j, k = lo, mid, lo
            while k < hi:
                if i < mid and (j >= hi or a[i] <= a[j]):
                    b[k] = a[i]
                    i += 1
                else:
                    b[k] = a[j]
                    j += 1
                k += 1
        a, b = b, a
        width *= 2
    return [a[0], a[n // 2], a[n - 1]]


def closures() -> Any:
    def adder(k: int) -> Any:
        return lambda x: x + k

    def scale(k: int) -> Any:
        return lambda x: x * k

    def compose(f: Any, g: Any) -> Any:
        return lambda x: g(f(x))

    f = compose(adder(3), scale(2))
    total = 0
    for i in range(1_000_000):
        total += f(i)
    return total


def json_roundtrip(separators: tuple[str, str] = (",", ":")) -> Any:
    rows = []
    for i in range(10_000):
        rows.append({"id": i, "name": "unit-" + str(i), "hp": 100.5, "tags": ["a", "b"], "alive": True})
    encoded = json.dumps(rows, separators=separators)
    decoded = json.loads(encoded)
    return [len(encoded), len(decoded)]


def json_roundtrip_zygomys() -> Any:
    """The same with Zygomys `json2`'s layout, which puts a space after each comma."""
    return json_roundtrip((", ", ":"))
