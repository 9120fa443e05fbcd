"""In-place growth of a container its only holder is about to replace (`x = append(x, v)`).

Both engines extend an array in place instead of copying it when CPython's reference count
says nothing else can see it. The count such code observes depends on how it asks (inside
a helper called with the array, or inline with `sys.getrefcount(x)`), so it is measured
once at import on this very interpreter; 0 means "not a reliable test here: always copy".
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

refcount = sys.getrefcount


def unique_refs(make: Callable[[], Any], probe: Callable[[Any], int]) -> int:
    """The count `probe(x)` (a helper's own `refcount` of its argument) reports for a
    container made by `make` and held by one variable."""
    held = make()
    alone = probe(held)
    alias = held
    shared = probe(held)
    del alias
    return alone if shared == alone + 1 and alone > 1 else 0


def unique_refs_inline(make: Callable[[], Any]) -> int:
    """The count generated code sees asking `sys.getrefcount(x)` itself about a container
    only its local `x` holds."""
    held = make()
    alone = refcount(held)
    alias = held
    shared = refcount(held)
    del alias
    return alone if shared == alone + 1 and alone > 1 else 0
