"""Go RE2 regular expressions (`regexp` package semantics) for the `text` module.

Go's syntax is parsed here exactly as `regexp/syntax` does, so whatever RE2 rejects
(backreferences, lookarounds, possessive quantifiers, `\\Z`...) fails with Go's own message,
and RE2-only syntax (`\\pL`, `\\p{Greek}`, `[[:alpha:]]`, `(?U)`, `\\z`...) is understood.
Case folding, classes and `\\pX` tables follow Go 1.19 (see `unicode_tables`).

Matching must stay linear time like RE2, while Python's `re` backtracks. The parsed tree is
therefore run by one of two engines with identical (leftmost-first, Perl-like) semantics:

* Python `re` on a translated pattern: fast, but its worst case is polynomial or exponential.
  A static estimate bounds the backtracking work of the pattern for a text of length n; `re`
  is used only while that bound times n stays under `RE_STEP_BUDGET` (always, when the bound
  does not grow with n). Nested ambiguous repetitions such as `(a+)+` have an unbounded
  estimate and never go to `re`.
* A Pike VM (Thompson NFA simulation, as Go's own `regexp`): O(len(text) * len(program))
  for every pattern; used for the risky pattern/text pairs and for very deep patterns.

Texts are Python strings carrying invalid UTF-8 bytes as surrogate escapes; like Go, each such
byte matches as U+FFFD. Offsets handed back to scripts are byte offsets, as in Go.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from scriptvisor.engines import limits
from scriptvisor.engines.tengo.stdlib import unicode_tables as ut
from scriptvisor.engines.tengo.values import SLOT_BYTES

MAX_RUNE = 0x10FFFF
MAX_REPEAT = 1000
MAX_HEIGHT = 1000  # Go's maxHeight: deeper trees are "expression nests too deeply"
MAX_SIZE = (128 << 20) // 40  # Go's maxSize in instructions: larger is an "internal error"
PY_RE_MAX_HEIGHT = 100  # Python's sre compiler recurses; deeper patterns run on the VM
RE_STEP_BUDGET = 20_000_000  # worst-case backtracking steps allowed for Python `re`
VM_INST_BYTES = 64  # rough memory cost of one VM instruction, for the allocation budget

# Go's error codes (regexp/syntax ErrorCode strings).
ERR_CHAR_RANGE = "invalid character class range"
ERR_ESCAPE = "invalid escape sequence"
ERR_NAMED_CAPTURE = "invalid named capture"
ERR_PERL_OP = "invalid or unsupported Perl syntax"
ERR_REPEAT_OP = "invalid nested repetition operator"
ERR_REPEAT_SIZE = "invalid repeat count"
ERR_UTF8 = "invalid UTF-8"
ERR_MISSING_BRACKET = "missing closing ]"
ERR_MISSING_PAREN = "missing closing )"
ERR_MISSING_REPEAT_ARG = "missing argument to repetition operator"
ERR_TRAILING_BACKSLASH = "trailing backslash at end of expression"
ERR_UNEXPECTED_PAREN = "unexpected )"
ERR_NESTING_DEPTH = "expression nests too deeply"
ERR_INTERNAL = "regexp/syntax: internal error"


class RegexSyntaxError(Exception):
    """A pattern Go's regexp.Compile rejects; the message is Go's error text."""

    def __init__(self, code: str, expr: str) -> None:
        super().__init__(f"error parsing regexp: {code}: `{expr}`")


# ---------------------------------------------------------------- syntax tree

LIT, CLASS, ANY_NL, ANY, BOL, EOL, BOT, EOT, WORDB, NWORDB, EMPTY, CAP, CAT, ALT, REP = range(15)
_ASSERTIONS = (BOL, EOL, BOT, EOT, WORDB, NWORDB)

Ranges = list[tuple[int, int]]


class Node:
    """One regexp tree node.

    `h` is the tree height and `size` the program size Go's compiler would need; Go's
    limits on both (MAX_HEIGHT, MAX_SIZE) are enforced as the tree is built.
    """

    __slots__ = ("op", "subs", "rune", "ranges", "cap", "min", "max", "greedy", "counted", "h",
                 "size")

    def __init__(self, op: int, subs: list[Node] | None = None) -> None:
        self.op = op
        self.subs: list[Node] = subs or []
        self.rune = 0
        self.ranges: Ranges = []
        self.cap = 0
        self.min = 0
        self.max = 0
        self.greedy = True
        self.counted = False  # `{n,m}` (Go's OpRepeat) rather than * + ?
        self.h: int = 1 + max((s.h for s in self.subs), default=0)
        inner = sum(sub.size for sub in self.subs)
        if op == CAP:
            inner += 2
        elif op == ALT:
            inner += len(self.subs) - 1
        self.size: int = max(inner, 1)


def _lit(r: int) -> Node:
    n = Node(LIT)
    n.rune = r
    return n


def _cls(ranges: Ranges) -> Node:
    n = Node(CLASS)
    n.ranges = ranges
    return n


def _rep(sub: Node, lo: int, hi: int, greedy: bool, counted: bool) -> Node:
    n = Node(REP, [sub])
    n.min, n.max, n.greedy, n.counted = lo, hi, greedy, counted
    n.size = _rep_size(sub.size, lo, hi, counted)
    return n


def _rep_size(sub: int, lo: int, hi: int, counted: bool) -> int:
    """Go's calcSize for a repetition (x{2,5} compiles as xx(x(x(x)?)?)?)."""
    if not counted:
        return sub + (2 if (lo, hi) == (0, -1) else 1)
    if hi == -1:
        return 2 + sub if lo == 0 else 1 + lo * sub
    return max(hi * sub + (hi - lo), 1)


# ---------------------------------------------------------------- character classes

def _clean(ranges: Ranges) -> Ranges:
    """Sort and merge overlapping or adjacent ranges."""
    if len(ranges) < 2:
        return list(ranges)
    ranges = sorted(ranges)
    out = [ranges[0]]
    for lo, hi in ranges[1:]:
        plo, phi = out[-1]
        if lo <= phi + 1:
            if hi > phi:
                out[-1] = (plo, hi)
        else:
            out.append((lo, hi))
    return out


def _negate(ranges: Ranges) -> Ranges:
    """Complement of clean ranges within [0, MAX_RUNE]."""
    out: Ranges = []
    nxt = 0
    for lo, hi in ranges:
        if nxt <= lo - 1:
            out.append((nxt, lo - 1))
        nxt = hi + 1
    if nxt <= MAX_RUNE:
        out.append((nxt, MAX_RUNE))
    return out


def _fold_ranges(ranges: Ranges) -> Ranges:
    """Add every case-fold equivalent of the runes in `ranges` (Go's appendFoldedRange)."""
    out = list(ranges)
    foldable = ut.foldable_runes()
    for lo, hi in ranges:
        i = bisect_right(foldable, lo - 1)
        while i < len(foldable) and foldable[i] <= hi:
            out.extend((f, f) for f in ut.fold_orbit(foldable[i]))
            i += 1
    return _clean(out)


def _r(*pairs: tuple[str, str]) -> Ranges:
    return [(ord(a), ord(b)) for a, b in pairs]


_PERL_GROUPS: dict[str, Ranges] = {
    "d": _r(("0", "9")),
    "s": _r(("\t", "\n"), ("\f", "\r"), (" ", " ")),
    "w": _r(("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z")),
}

_POSIX_GROUPS: dict[str, Ranges] = {
    "alnum": _r(("0", "9"), ("A", "Z"), ("a", "z")),
    "alpha": _r(("A", "Z"), ("a", "z")),
    "ascii": [(0, 0x7F)],
    "blank": _r(("\t", "\t"), (" ", " ")),
    "cntrl": [(0, 0x1F), (0x7F, 0x7F)],
    "digit": _r(("0", "9")),
    "graph": _r(("!", "~")),
    "lower": _r(("a", "z")),
    "print": _r((" ", "~")),
    "punct": _r(("!", "/"), (":", "@"), ("[", "`"), ("{", "~")),
    "space": _r(("\t", "\r"), (" ", " ")),
    "upper": _r(("A", "Z")),
    "word": _r(("0", "9"), ("A", "Z"), ("_", "_"), ("a", "z")),
    "xdigit": _r(("0", "9"), ("A", "F"), ("a", "f")),
}

_ANY_NOT_NL: Ranges = [(0, 9), (11, MAX_RUNE)]
_ANY_RANGES: Ranges = [(0, MAX_RUNE)]


def _is_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _unhex(c: str) -> int:
    return int(c, 16) if c and c in "0123456789abcdefABCDEF" else -1


# ---------------------------------------------------------------- parser

FOLD, ONELINE, DOTNL, NONGREEDY = 1, 2, 4, 8


class _Frame:
    """An open group: finished alternatives, the concatenation in progress, saved flags."""

    __slots__ = ("alts", "items", "cap", "flags")

    def __init__(self, cap: int, flags: int) -> None:
        self.alts: list[Node] = []
        self.items: list[Node] = []
        self.cap = cap  # 0: non-capturing (or the whole expression)
        self.flags = flags


class _Parser:
    """Go's regexp/syntax parser (Perl flags), iterative so nesting cannot blow the stack."""

    def __init__(self, pattern: str) -> None:
        self.s = pattern
        self.flags = ONELINE
        self.frames = [_Frame(0, self.flags)]
        self.ncap = 0
        self.names: list[str] = [""]

    def fail(self, code: str, expr: str) -> RegexSyntaxError:
        return RegexSyntaxError(code, expr)

    # -- driver

    def parse(self) -> Node:
        s = self.s
        i = 0
        last_repeat = -1
        while i < len(s):
            c = s[i]
            repeat_at = -1
            if c == "(":
                i = self.open_group(i)
            elif c == "|":
                self.bar()
                i += 1
            elif c == ")":
                self.close_group()
                i += 1
            elif c in "*+?":
                lo, hi = _SIMPLE_REPEATS[c]
                repeat_at = i
                i = self.repeat(i, i + 1, lo, hi, False, last_repeat)
            elif c == "{":
                parsed = self.parse_repeat(i)
                if parsed is None:
                    self.push(self.literal(ord("{")))
                    i += 1
                else:
                    lo, hi, after = parsed
                    if lo < 0 or lo > MAX_REPEAT or hi > MAX_REPEAT or 0 <= hi < lo:
                        raise self.fail(ERR_REPEAT_SIZE, s[i:after])
                    repeat_at = i
                    i = self.repeat(i, after, lo, hi, True, last_repeat)
            elif c == "[":
                i = self.parse_class(i)
            elif c == "\\":
                i = self.parse_backslash(i)
            else:
                i = self.parse_simple(i, c)
            last_repeat = repeat_at
        if len(self.frames) != 1:
            raise self.fail(ERR_MISSING_PAREN, s)
        return self.finish_frame(self.frames[0])

    def parse_simple(self, i: int, c: str) -> int:
        if c == "^":
            self.push(Node(BOT if self.flags & ONELINE else BOL))
        elif c == "$":
            self.push(Node(EOT if self.flags & ONELINE else EOL))
        elif c == ".":
            self.push(Node(ANY if self.flags & DOTNL else ANY_NL))
        else:
            self.push(self.literal(self.next_rune(i)))
        return i + 1

    def next_rune(self, i: int) -> int:
        r = ord(self.s[i])
        if 0xD800 <= r <= 0xDFFF:  # an invalid UTF-8 byte carried as a surrogate escape
            raise self.fail(ERR_UTF8, self.s[i:])
        return r

    # -- stack

    @property
    def top(self) -> _Frame:
        return self.frames[-1]

    def check_limits(self, node: Node) -> None:
        if node.size > MAX_SIZE:
            raise self.fail(ERR_INTERNAL, self.s)
        if node.h > MAX_HEIGHT:
            raise self.fail(ERR_NESTING_DEPTH, self.s)

    def push(self, node: Node) -> None:
        self.check_limits(node)
        self.top.items.append(node)

    def literal(self, r: int) -> Node:
        if self.flags & FOLD:
            orbit = ut.fold_orbit(r)
            if len(orbit) > 1:
                return _cls(_clean([(x, x) for x in orbit]))
        return _lit(r)

    def bar(self) -> None:
        top = self.top
        top.alts.append(_concat(top.items))
        top.items = []

    def finish_frame(self, frame: _Frame) -> Node:
        last = _concat(frame.items)
        self.check_limits(last)
        if not frame.alts:
            return last
        node = Node(ALT, frame.alts + [last])
        self.check_limits(node)
        return node

    def open_group(self, i: int) -> int:
        if self.s.startswith("(?", i):
            return self.parse_perl_flags(i)
        self.ncap += 1
        self.names.append("")
        self.frames.append(_Frame(self.ncap, self.flags))
        return i + 1

    def close_group(self) -> None:
        if len(self.frames) < 2:
            raise self.fail(ERR_UNEXPECTED_PAREN, self.s)
        frame = self.frames.pop()
        node = self.finish_frame(frame)
        self.flags = frame.flags
        if frame.cap:
            node = Node(CAP, [node])
            node.cap = frame.cap
        self.push(node)

    # -- repetition

    def repeat(self, start: int, after: int, lo: int, hi: int, counted: bool,
               last_repeat: int) -> int:
        """Apply the operator at s[start:after] to the last item; return the new position."""
        s = self.s
        greedy = not (self.flags & NONGREEDY)
        if after < len(s) and s[after] == "?":
            after += 1
            greedy = not greedy
        if last_repeat >= 0:
            raise self.fail(ERR_REPEAT_OP, s[last_repeat:after])
        items = self.top.items
        if not items:
            raise self.fail(ERR_MISSING_REPEAT_ARG, s[start:after])
        node = _rep(items[-1], lo, hi, greedy, counted)
        self.check_limits(node)
        items[-1] = node
        if counted and (lo >= 2 or hi >= 2) and not _repeat_is_valid(node, MAX_REPEAT):
            raise self.fail(ERR_REPEAT_SIZE, s[start:after])
        return after

    def parse_repeat(self, i: int) -> tuple[int, int, int] | None:
        """`{n}`, `{n,}`, `{n,m}` at s[i]: (min, max or -1, index after `}`), else None."""
        s = self.s
        first = _parse_int(s, i + 1)
        if first is None:
            return None
        lo, j = first
        if j >= len(s):
            return None
        hi = lo
        if s[j] == ",":
            j += 1
            if j >= len(s):
                return None
            if s[j] == "}":
                hi = -1
            else:
                second = _parse_int(s, j)
                if second is None:
                    return None
                hi, j = second
                if hi < 0:
                    lo = -1
        if j >= len(s) or s[j] != "}":
            return None
        return lo, hi, j + 1

    # -- (?...)

    def parse_perl_flags(self, i: int) -> int:
        s = self.s
        if s.startswith("(?P<", i) and len(s) - i > 4:
            end = s.find(">", i)
            if end < 0:
                self.check_utf8(s[i:])
                raise self.fail(ERR_NAMED_CAPTURE, s[i:])
            name = s[i + 4 : end]
            self.check_utf8(name)
            if not name or not all(ch == "_" or _is_alnum(ch) for ch in name):
                raise self.fail(ERR_NAMED_CAPTURE, s[i : end + 1])
            self.ncap += 1
            self.names.append(name)
            self.frames.append(_Frame(self.ncap, self.flags))
            return end + 1
        flags = self.flags
        negated = False
        saw_flag = False
        j = i + 2
        while j < len(s):
            c = s[j]
            self.next_rune(j)
            j += 1
            bit = {"i": FOLD, "m": ONELINE, "s": DOTNL, "U": NONGREEDY}.get(c)
            if bit is not None:
                # (?m) *clears* OneLine; negation flips the sense of every flag.
                turn_on = (bit != ONELINE) != negated
                flags = flags | bit if turn_on else flags & ~bit
                saw_flag = True
            elif c == "-" and not negated:
                negated = True
                saw_flag = False
            elif c in ":)" and (saw_flag or not negated):
                if c == ":":
                    self.frames.append(_Frame(0, self.flags))
                self.flags = flags
                return j
            else:
                break
        raise self.fail(ERR_PERL_OP, s[i:j])

    def check_utf8(self, text: str) -> None:
        for k, ch in enumerate(text):
            if 0xD800 <= ord(ch) <= 0xDFFF:
                raise self.fail(ERR_UTF8, text[k:])

    # -- escapes

    def parse_backslash(self, i: int) -> int:
        s = self.s
        nxt = s[i + 1] if i + 1 < len(s) else ""
        simple = {"A": BOT, "b": WORDB, "B": NWORDB, "z": EOT}.get(nxt)
        if simple is not None:
            self.push(Node(simple))
            return i + 2
        if nxt == "C":
            raise self.fail(ERR_ESCAPE, s[i : i + 2])
        if nxt == "Q":
            end = s.find("\\E", i + 2)
            lit_end = len(s) if end < 0 else end
            for k in range(i + 2, lit_end):
                self.push(self.literal(self.next_rune(k)))
            return len(s) if end < 0 else end + 2
        if nxt in ("p", "P"):
            ranges, after = self.parse_unicode_class(i)
            self.push(_cls(ranges))
            return after
        group = self.perl_class(i)
        if group is not None:
            self.push(_cls(_clean(group[0])))
            return group[1]
        r, after = self.parse_escape(i)
        self.push(self.literal(r))
        return after

    def perl_class(self, i: int) -> tuple[Ranges, int] | None:
        """`\\d \\D \\s \\S \\w \\W` at s[i]: (ranges, index after), else None."""
        c = self.s[i + 1] if i + 1 < len(self.s) else ""
        base = _PERL_GROUPS.get(c.lower()) if c else None
        if base is None:
            return None
        return self.group(base, c.isupper()), i + 2

    def group(self, ranges: Ranges, negate: bool) -> Ranges:
        if self.flags & FOLD:
            ranges = _fold_ranges(ranges)
        return _negate(ranges) if negate else list(ranges)

    def parse_unicode_class(self, i: int) -> tuple[Ranges, int]:
        s = self.s
        negate = s[i + 1] == "P"
        j = i + 2
        if j < len(s) and s[j] == "{":
            end = s.find("}", i)
            if end < 0:
                self.check_utf8(s[i:])
                raise self.fail(ERR_CHAR_RANGE, s[i:])
            seq, name, after = s[i : end + 1], s[i + 3 : end], end + 1
            self.check_utf8(name)
        else:
            if j < len(s):
                self.next_rune(j)
            after = min(j + 1, len(s))
            seq = s[i:after]
            name = seq[2:]
        if name.startswith("^"):
            negate = not negate
            name = name[1:]
        table = ut.table(name)
        if table is None:
            raise self.fail(ERR_CHAR_RANGE, seq)
        ranges = list(table)
        fold = ut.fold_table(name) if name != "Any" else None
        if self.flags & FOLD and fold is not None:
            ranges = _clean(ranges + fold)
        return (_negate(ranges) if negate else ranges), after

    def parse_escape(self, i: int) -> tuple[int, int]:
        """A single-rune escape at s[i] (the backslash): (rune, index after)."""
        s = self.s
        if i + 1 >= len(s):
            raise self.fail(ERR_TRAILING_BACKSLASH, "")
        c = s[i + 1]
        self.next_rune(i + 1)
        j = i + 2
        if c in "1234567" and (j >= len(s) or not "0" <= s[j] <= "7"):
            raise self.fail(ERR_ESCAPE, s[i:j])  # a backreference: RE2 has none
        if c in "01234567":
            r = ord(c) - 48
            for _ in range(2):
                if j < len(s) and "0" <= s[j] <= "7":
                    r = r * 8 + ord(s[j]) - 48
                    j += 1
            return r, j
        if c == "x":
            return self.parse_hex_escape(i)
        simple = _SIMPLE_ESCAPES.get(c)
        if simple is not None:
            return simple, j
        if c.isascii() and not c.isalnum():
            return ord(c), j
        raise self.fail(ERR_ESCAPE, s[i:j])

    def parse_hex_escape(self, i: int) -> tuple[int, int]:
        s = self.s
        j = i + 2
        if j >= len(s):
            raise self.fail(ERR_ESCAPE, s[i:j])
        self.next_rune(j)
        if s[j] == "{":
            j += 1
            r = 0
            digits = 0
            while True:
                if j >= len(s):
                    raise self.fail(ERR_ESCAPE, s[i:j])
                self.next_rune(j)
                c = s[j]
                j += 1
                if c == "}":
                    break
                v = _unhex(c)
                if v < 0:
                    raise self.fail(ERR_ESCAPE, s[i:j])
                r = r * 16 + v
                if r > MAX_RUNE:
                    raise self.fail(ERR_ESCAPE, s[i:j])
                digits += 1
            if digits == 0:
                raise self.fail(ERR_ESCAPE, s[i:j])
            return r, j
        x = _unhex(s[j])
        j += 1
        if j < len(s):
            self.next_rune(j)
        y = _unhex(s[j]) if j < len(s) else -1
        j = min(j + 1, len(s))
        if x < 0 or y < 0:
            raise self.fail(ERR_ESCAPE, s[i:j])
        return x * 16 + y, j

    # -- [...] classes

    def parse_class(self, i: int) -> int:
        s = self.s
        whole = s[i:]
        j = i + 1
        negate = False
        if j < len(s) and s[j] == "^":
            negate = True
            j += 1
        ranges: Ranges = []
        first = True
        while j >= len(s) or s[j] != "]" or first:
            first = False
            if len(s) - j > 2 and s[j] == "[" and s[j + 1] == ":":
                named = self.parse_named_class(j)
                if named is not None:
                    ranges.extend(named[0])
                    j = named[1]
                    continue
            if j + 1 < len(s) and s[j] == "\\" and s[j + 1] in "pP":
                uni, j = self.parse_unicode_class(j)
                ranges.extend(uni)
                continue
            if j < len(s) and s[j] == "\\":
                group = self.perl_class(j)
                if group is not None:
                    ranges.extend(group[0])
                    j = group[1]
                    continue
            start = j
            lo, j = self.parse_class_char(j, whole)
            hi = lo
            if j + 1 < len(s) and s[j] == "-" and s[j + 1] != "]":
                hi, j = self.parse_class_char(j + 1, whole)
                if hi < lo:
                    raise self.fail(ERR_CHAR_RANGE, s[start:j])
            ranges.append((lo, hi))
        ranges = _clean(ranges)
        if self.flags & FOLD:
            ranges = _fold_ranges(ranges)
        self.push(_cls(_negate(ranges) if negate else ranges))
        return j + 1

    def parse_class_char(self, j: int, whole: str) -> tuple[int, int]:
        if j >= len(self.s):
            raise self.fail(ERR_MISSING_BRACKET, whole)
        if self.s[j] == "\\":
            return self.parse_escape(j)
        return self.next_rune(j), j + 1

    def parse_named_class(self, j: int) -> tuple[Ranges, int] | None:
        s = self.s
        end = s.find(":]", j + 2)
        if end < 0:
            return None
        name = s[j : end + 2]
        key = name[2:-2]
        negate = key.startswith("^")
        base = _POSIX_GROUPS.get(key[1:] if negate else key)
        if base is None:
            raise self.fail(ERR_CHAR_RANGE, name)
        return self.group(base, negate), end + 2


_SIMPLE_REPEATS = {"*": (0, -1), "+": (1, -1), "?": (0, 1)}
_SIMPLE_ESCAPES = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}


def _parse_int(s: str, i: int) -> tuple[int, int] | None:
    """Go's parseInt for repeat counts: no leading zeros; huge values become -1."""
    j = i
    while j < len(s) and "0" <= s[j] <= "9":
        j += 1
    if j == i or (j - i >= 2 and s[i] == "0"):
        return None
    digits = s[i:j]
    return (int(digits) if len(digits) <= 8 else -1), j


def _concat(items: list[Node]) -> Node:
    if not items:
        return Node(EMPTY)
    if len(items) == 1:
        return items[0]
    return Node(CAT, items)


def _repeat_is_valid(node: Node, n: int) -> bool:
    """Go's repeatIsValid: nested counted repeats may not exceed n copies in total."""
    stack = [(node, n)]
    while stack:
        cur, budget = stack.pop()
        if cur.op == REP and cur.counted:
            m = cur.max if cur.max >= 0 else cur.min
            if cur.max == 0:
                continue
            if m > budget:
                return False
            if m > 0:
                budget //= m
        stack.extend((sub, budget) for sub in cur.subs)
    return True


# ---------------------------------------------------------------- Python `re` translation

def _esc(r: int) -> str:
    if r < 0x80 and chr(r).isalnum():
        return chr(r)
    return f"\\u{r:04x}" if r <= 0xFFFF else f"\\U{r:08x}"


_SURROGATES: Ranges = [(0xD800, 0xDFFF)]
_BYTE_ESCAPES: Ranges = [(0xDC80, 0xDCFF)]  # invalid UTF-8 bytes carried as surrogate escapes


def _py_class(ranges: Ranges) -> str:
    """A Python class for Go rune ranges: surrogate escapes match where U+FFFD does.

    Other surrogates never occur in texts, so either form may claim them; the smaller of
    `[...]` and `[^...]` is emitted because `re` compiles huge BMP ranges slowly.
    """
    has_error_rune = any(lo <= 0xFFFD <= hi for lo, hi in ranges)
    escapes = _BYTE_ESCAPES if has_error_rune else []
    positive = _clean(_subtract(ranges, _SURROGATES) + escapes)
    negative = _clean(_negate(_clean(ranges + _SURROGATES)) + ([] if has_error_rune
                                                               else _BYTE_ESCAPES))
    if not positive:
        return "(?!)"
    if not negative:
        return "(?s:.)"
    if _size(negative) < _size(positive):
        return "[^" + _class_body(negative) + "]"
    return "[" + _class_body(positive) + "]"


def _subtract(ranges: Ranges, cut: Ranges) -> Ranges:
    return [(lo, hi) for rlo, rhi in ranges for lo, hi in _minus(rlo, rhi, cut)]


def _minus(lo: int, hi: int, cut: Ranges) -> Ranges:
    out = [(lo, hi)]
    for clo, chi in cut:
        nxt: Ranges = []
        for a, b in out:
            if b < clo or a > chi:
                nxt.append((a, b))
                continue
            if a < clo:
                nxt.append((a, clo - 1))
            if b > chi:
                nxt.append((chi + 1, b))
        out = nxt
    return out


def _size(ranges: Ranges) -> int:
    return sum(hi - lo + 1 for lo, hi in ranges)


def _class_body(ranges: Ranges) -> str:
    return "".join(_esc(lo) if lo == hi else f"{_esc(lo)}-{_esc(hi)}" for lo, hi in ranges)


_PY_ASSERT = {BOL: "(?m:^)", EOL: "(?m:$)", BOT: "\\A", EOT: "\\Z",
              WORDB: "(?a:\\b)", NWORDB: "(?:(?a:\\B)|\\A\\Z)"}  # Python's \B fails on ""


def _to_python(node: Node) -> str:
    """Translate a tree (height <= PY_RE_MAX_HEIGHT) into an equivalent Python pattern."""
    op = node.op
    if op == LIT:
        r = node.rune
        if r == 0xFFFD or 0xD800 <= r <= 0xDFFF:
            return _py_class([(r, r)])
        return _esc(r)
    if op == CLASS:
        return _py_class(node.ranges)
    if op == ANY_NL:
        return "[^\\n]"
    if op == ANY:
        return "(?s:.)"
    if op in _PY_ASSERT:
        return _PY_ASSERT[op]
    if op == EMPTY:
        return ""
    if op == CAP:
        return "(" + _to_python(node.subs[0]) + ")"
    if op == CAT:
        return "".join(
            "(?:" + _to_python(s) + ")" if s.op == ALT else _to_python(s) for s in node.subs
        )
    if op == ALT:
        return "|".join(_to_python(s) for s in node.subs)
    return _py_repeat(node)


def _py_repeat(node: Node) -> str:
    sub = node.subs[0]
    body = _to_python(sub)
    if sub.op not in (LIT, CLASS, ANY_NL, ANY, CAP) or body == "(?!)":
        body = "(?:" + body + ")"
    lo, hi = node.min, node.max
    if (lo, hi) == (0, -1):
        q = "*"
    elif (lo, hi) == (1, -1):
        q = "+"
    elif (lo, hi) == (0, 1):
        q = "?"
    elif hi == -1:
        q = f"{{{lo},}}"
    elif lo == hi:
        q = f"{{{lo}}}"
    else:
        q = f"{{{lo},{hi}}}"
    return body + q + ("" if node.greedy else "?")


# ---------------------------------------------------------------- backtracking cost estimate

_INF = float("inf")
_SINGLE = (LIT, CLASS, ANY_NL, ANY)


class _Cost:
    """Upper bounds on the work of a backtracking matcher (Python's `re`) for one pattern.

    For a text of length n, `fail(node)` bounds the steps of an attempt at one position
    that ends without a match, `cont(node, c)` the steps of `node` followed by a
    continuation that costs `c` and fails every time it is tried, and `ways(node)` the
    number of distinct ways `node` can match at one position. A repetition of a single
    character class followed by something that cannot start with that class is counted
    as one way (only its longest run can be followed), so `(?:\\d+,)*` is not mistaken for an
    exponential nesting; truly ambiguous nestings such as `(a+)+` make the bound infinite.
    """

    def __init__(self, root: Node) -> None:
        self.root = root
        self.n = 1.0
        self.firsts: dict[int, tuple[Ranges | None, bool]] = {}
        self.exclusive: dict[int, bool] = {}

    def first(self, node: Node) -> tuple[Ranges | None, bool]:
        """(ranges the first consumed rune comes from, or None if unknown; nullable)."""
        key = id(node)
        found = self.firsts.get(key)
        if found is None:
            found = self.firsts[key] = self._first(node)
        return found

    def _first(self, node: Node) -> tuple[Ranges | None, bool]:
        op = node.op
        if op == LIT:
            return [(node.rune, node.rune)], False
        if op == CLASS:
            return node.ranges, False
        if op in (ANY_NL, ANY):
            return _ANY_RANGES, False
        if op in _ASSERTIONS or op == EMPTY:
            return [], True
        if op == CAP:
            return self.first(node.subs[0])
        if op == REP:
            first, nullable = self.first(node.subs[0])
            return first, nullable or node.min == 0
        parts = [self.first(sub) for sub in node.subs]
        if op == CAT:
            prefix: list[tuple[Ranges | None, bool]] = []
            for part in parts:
                prefix.append(part)
                if not part[1]:
                    return _union(prefix), False
            return _union(prefix), True
        return _union(parts), any(nullable for _, nullable in parts)

    def is_exclusive(self, node: Node) -> bool:
        """Can at most one branch of this alternation match at any position?"""
        key = id(node)
        found = self.exclusive.get(key)
        if found is None:
            firsts = [self.first(sub) for sub in node.subs]
            found = all(f is not None and not nl for f, nl in firsts) and _disjoint(
                [f for f, _ in firsts if f is not None]
            )
            self.exclusive[key] = found
        return found

    def follow(self, subs: list[Node], i: int) -> Ranges | None:
        """First set of what must come right after subs[i], if known."""
        if i + 1 >= len(subs):
            return None
        first, nullable = self.first(subs[i + 1])
        return None if nullable else first

    def runs_alone(self, node: Node, follow: Ranges | None) -> bool:
        """A repetition of one class whose follower can never start inside the run."""
        sub = node.subs[0] if node.op == REP else node
        if node.op != REP or sub.op not in _SINGLE or follow is None:
            return False
        ranges, _ = self.first(sub)
        return ranges is not None and _disjoint([ranges, follow])

    def top(self, node: Node) -> tuple[float, float]:
        hi = self.n if node.max < 0 else min(float(node.max), self.n)
        return min(float(node.min), hi), hi

    def ways(self, node: Node) -> float:
        op = node.op
        if op == CAP:
            return self.ways(node.subs[0])
        if op == ALT:
            counts = [self.ways(sub) for sub in node.subs]
            return max(counts) if self.is_exclusive(node) else sum(counts)
        if op == CAT:
            total = 1.0
            for i, sub in enumerate(node.subs):
                if not self.runs_alone(sub, self.follow(node.subs, i)):
                    total *= self.ways(sub)
            return total
        if op == REP:
            lo, hi = self.top(node)
            w = self.ways(node.subs[0])
            if w <= 1.0:
                return hi - lo + 1.0
            return _INF if hi > 60 else w**hi
        return 1.0

    def cont(self, node: Node, c: float, follow: Ranges | None = None) -> float:
        op = node.op
        if op in _SINGLE or op in _ASSERTIONS:
            return 1.0 + c
        if op == EMPTY:
            return c
        if op == CAP:
            return self.cont(node.subs[0], c, follow)
        if op == ALT:
            costs = [self.cont(sub, c) for sub in node.subs]
            if self.is_exclusive(node):
                return max(costs) + len(costs) - 1
            return sum(costs)
        if op == CAT:
            for i in range(len(node.subs) - 1, -1, -1):
                c = self.cont(node.subs[i], c, self.follow(node.subs, i) if i + 1 < len(
                    node.subs) else follow)
            return c
        lo, hi = self.top(node)
        sub = node.subs[0]
        w = self.ways(sub)
        one = self.cont(sub, 0.0)
        if w > 1.0:
            return _INF if hi > 60 else w**hi * (one + c)
        if self.runs_alone(node, follow):
            return hi * one + (hi - lo) + c
        return hi * one + (hi - lo + 1.0) * c

    def fail(self, node: Node) -> float:
        op = node.op
        if op in _SINGLE or op in _ASSERTIONS:
            return 1.0
        if op == EMPTY:
            return 0.0
        if op == CAP:
            return self.fail(node.subs[0])
        if op == ALT:
            costs = [self.fail(sub) for sub in node.subs]
            if self.is_exclusive(node):
                return max(costs) + len(costs) - 1
            return sum(costs)
        if op == CAT:
            subs = node.subs
            c = self.fail(subs[-1])
            for i in range(len(subs) - 2, -1, -1):
                c = self.cont(subs[i], c, self.follow(subs, i))
            return c
        lo, _ = self.top(node)
        if lo == 0:
            return 0.0  # cannot fail: the attempt succeeds here
        return (lo - 1.0) * self.cont(node.subs[0], 0.0) + self.fail(node.subs[0])

    def search_cost(self, n: float) -> float:
        """Steps of a whole search (every start position) over a text of length n."""
        self.n = n
        starts = 1.0 if _anchored(self.root) else n
        return starts * self.fail(self.root) + n


def _union(parts: list[tuple[Ranges | None, bool]]) -> Ranges | None:
    """Union of first sets; None (unknown) if any is unknown or the result is huge."""
    acc: Ranges = []
    for first, _ in parts:
        if first is None or len(acc) > 512:
            return None
        acc.extend(first)
    return acc


def _disjoint(sets: list[Ranges]) -> bool:
    seen: Ranges = []
    for ranges in sets:
        for lo, hi in ranges:
            for slo, shi in seen:
                if lo <= shi and slo <= hi:
                    return False
        seen.extend(ranges)
        if len(seen) > 512:
            return False
    return True


def _has_nullable_loop(root: Node, cost: _Cost) -> bool:
    """Is some repeated body able to match empty? Python's `re` then reports different
    captures (it accepts a final empty iteration, which Go's NFA never does)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.op == REP and node.max != 1 and cost.first(node.subs[0])[1]:
            return True
        stack.extend(node.subs)
    return False


def _max_re_len(root: Node) -> int:
    """Largest text length for which Python `re` stays within RE_STEP_BUDGET (-1: any)."""
    if root.h > PY_RE_MAX_HEIGHT:
        return 0
    cost = _Cost(root)
    if _has_nullable_loop(root, cost):
        return 0
    mid, big = float(1 << 20), float(1 << 40)
    per_char_mid = cost.search_cost(mid) / mid
    if per_char_mid < _INF and cost.search_cost(big) / big <= per_char_mid * 1.01:
        return -1  # the work per start position does not grow with the text: linear
    best = 0
    n = 1
    while n < (1 << 40) and cost.search_cost(float(n)) <= RE_STEP_BUDGET:
        best = n
        n *= 2
    return best


# ---------------------------------------------------------------- Pike VM

I_SET, I_RANGES, I_NOTNL, I_ANY, I_SPLIT, I_JMP, I_SAVE, I_ASSERT, I_MATCH = range(9)

SMALL_CLASS = 64  # classes with at most this many runes become a set of characters


def _char_set(ranges: Ranges) -> frozenset[str] | None:
    total = sum(hi - lo + 1 for lo, hi in ranges)
    if total > SMALL_CLASS:
        return None
    chars = {chr(c) for lo, hi in ranges for c in range(lo, hi + 1) if not 0xD800 <= c <= 0xDFFF}
    if any(lo <= 0xFFFD <= hi for lo, hi in ranges):
        chars.update(chr(c) for c in range(0xDC80, 0xDD00))
    return frozenset(chars)


class _Frag:
    __slots__ = ("start", "outs", "nullable")

    def __init__(self, start: int, outs: list[tuple[int, int]], nullable: bool) -> None:
        self.start = start  # -1: can never match
        self.outs = outs  # (instruction, 0 for `out` / 1 for `out1`) still to be patched
        self.nullable = nullable


_DEAD = _Frag(-1, [], False)


class _VMProgram:
    """Thompson construction following Go's compiler, so priorities and captures agree.

    Instruction `pc` has a kind, a payload and its successor `out[pc]`; a SPLIT also has
    `out1[pc]`, the lower-priority branch. -1 as a successor means the thread dies.
    """

    def __init__(self, root: Node, ncap: int) -> None:
        self.kind: list[int] = []
        self.payload: list[Any] = []
        self.out: list[int] = []
        self.out1: list[int] = []
        self.ncap = ncap
        frag = self.single(I_SAVE, 0, True)
        frag = self.cat(frag, self.compile(root))
        frag = self.cat(frag, self.single(I_SAVE, 1, True))
        self.patch(frag.outs, self.emit(I_MATCH, None))
        self.start = frag.start
        self.anchored = _anchored(root)

    def emit(self, kind: int, payload: Any, out: int = -1, out1: int = -1) -> int:
        self.kind.append(kind)
        self.payload.append(payload)
        self.out.append(out)
        self.out1.append(out1)
        if len(self.kind) % 4096 == 0:
            limits.check_alloc(len(self.kind) * VM_INST_BYTES)
        return len(self.kind) - 1

    def patch(self, outs: list[tuple[int, int]], target: int) -> None:
        for pc, which in outs:
            (self.out1 if which else self.out)[pc] = target

    def single(self, kind: int, payload: Any, nullable: bool) -> _Frag:
        pc = self.emit(kind, payload)
        return _Frag(pc, [(pc, 0)], nullable)

    def cat(self, f1: _Frag, f2: _Frag) -> _Frag:
        if f1.start < 0 or f2.start < 0:
            return _DEAD
        self.patch(f1.outs, f2.start)
        return _Frag(f1.start, f2.outs, f1.nullable and f2.nullable)

    def alt(self, f1: _Frag, f2: _Frag) -> _Frag:
        if f1.start < 0:
            return f2
        if f2.start < 0:
            return f1
        pc = self.emit(I_SPLIT, None, f1.start, f2.start)
        return _Frag(pc, f1.outs + f2.outs, f1.nullable or f2.nullable)

    def _split_to(self, body: int, greedy: bool) -> tuple[int, tuple[int, int]]:
        """A SPLIT preferring `body` (greedy) or the exit; returns it and its exit slot."""
        if greedy:
            return self.emit(I_SPLIT, None, body, -1), (len(self.kind) - 1, 1)
        return self.emit(I_SPLIT, None, -1, body), (len(self.kind) - 1, 0)

    def quest(self, f1: _Frag, greedy: bool) -> _Frag:
        pc, exit_slot = self._split_to(f1.start, greedy)
        return _Frag(pc, [exit_slot] + f1.outs, True)

    def loop(self, f1: _Frag, greedy: bool) -> _Frag:
        pc, exit_slot = self._split_to(f1.start, greedy)
        self.patch(f1.outs, pc)
        return _Frag(pc, [exit_slot], True)

    def star(self, f1: _Frag, greedy: bool) -> _Frag:
        if f1.nullable:
            # (x+)? keeps Go's priority order for bodies that can match empty.
            return self.quest(self.plus(f1, greedy), greedy)
        return self.loop(f1, greedy)

    def plus(self, f1: _Frag, greedy: bool) -> _Frag:
        if f1.start < 0:
            return _DEAD
        return _Frag(f1.start, self.loop(f1, greedy).outs, f1.nullable)

    def compile(self, root: Node) -> _Frag:
        """Post-order compilation with an explicit stack (trees may be 1000 deep).

        A capture's opening SAVE is emitted before its body, as Go does.
        """
        results: list[_Frag] = []
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if not ready:
                while node.op == REP and node.counted:
                    node = _expand_counted(node)
                if node.subs:
                    stack.append((node, True))
                    stack.extend((sub, False) for sub in reversed(node.subs))
                    if node.op == CAP:
                        results.append(self.single(I_SAVE, 2 * node.cap, True))
                    continue
            results.append(self.combine(node, results))
        return results[0]

    def combine(self, node: Node, results: list[_Frag]) -> _Frag:
        op = node.op
        if op in (LIT, CLASS, ANY_NL, ANY):
            return self.rune_frag(node)
        if op in _ASSERTIONS:
            return self.single(I_ASSERT, op, True)
        if op == EMPTY:
            return self.single(I_JMP, None, True)
        k = len(node.subs)
        subs = results[-k:]
        del results[-k:]
        if op == CAP:
            bra = results.pop()
            ket = self.single(I_SAVE, 2 * node.cap + 1, True)
            return self.cat(self.cat(bra, subs[0]), ket)
        if op == CAT:
            frag = subs[0]
            for f in subs[1:]:
                frag = self.cat(frag, f)
            return frag
        if op == ALT:
            frag = _DEAD
            for f in subs:
                frag = self.alt(frag, f)
            return frag
        if node.max == -1:
            return self.star(subs[0], node.greedy) if node.min == 0 else self.plus(
                subs[0], node.greedy)
        return self.quest(subs[0], node.greedy)

    def rune_frag(self, node: Node) -> _Frag:
        if node.op == ANY_NL:
            return self.single(I_NOTNL, None, False)
        ranges = [(node.rune, node.rune)] if node.op == LIT else node.ranges
        if node.op == ANY or ranges == _ANY_RANGES:
            return self.single(I_ANY, None, False)
        if not ranges:
            return _DEAD
        chars = _char_set(ranges)
        if chars is not None:
            return self.single(I_SET, chars, False)
        return self.single(I_RANGES, ([lo for lo, _ in ranges], [hi for _, hi in ranges]), False)


def _expand_counted(node: Node) -> Node:
    """Go's Simplify for x{n,m}: copies of x followed by nested optional copies."""
    if not node.counted:
        return node
    sub, lo, hi, greedy = node.subs[0], node.min, node.max, node.greedy
    if lo == 0 and hi == 0:
        return Node(EMPTY)
    if hi == -1:
        if lo <= 1:
            return _rep(sub, lo, -1, greedy, False)
        return Node(CAT, [sub] * (lo - 1) + [_rep(sub, 1, -1, greedy, False)])
    if lo == 1 and hi == 1:
        return sub
    parts = [sub] * lo
    if hi > lo:
        suffix = _rep(sub, 0, 1, greedy, False)
        for _ in range(lo + 1, hi):
            suffix = _rep(Node(CAT, [sub, suffix]), 0, 1, greedy, False)
        parts.append(suffix)
    return _concat(parts)


def _anchored(root: Node) -> bool:
    node = root
    while node.op in (CAT, CAP) and node.subs:
        node = node.subs[0]
    return node.op == BOT


def _is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


def _assert_ok(kind: int, s: str, at: int) -> bool:
    if kind == BOT:
        return at == 0
    if kind == EOT:
        return at == len(s)
    if kind == BOL:
        return at == 0 or s[at - 1] == "\n"
    if kind == EOL:
        return at == len(s) or s[at] == "\n"
    before = at > 0 and _is_word(s[at - 1])
    after = at < len(s) and _is_word(s[at])
    return (before != after) == (kind == WORDB)


def _in_ranges(arg: tuple[list[int], list[int]], ch: str) -> bool:
    c = ord(ch)
    if 0xD800 <= c <= 0xDFFF:
        c = 0xFFFD
    los, his = arg
    i = bisect_right(los, c) - 1
    return i >= 0 and c <= his[i]


class _PikeVM:
    """Leftmost-first search over a `_VMProgram`: linear in the text length."""

    def __init__(self, prog: _VMProgram) -> None:
        self.p = prog
        self.empty_caps = (-1,) * (2 * (prog.ncap + 1))

    def add(self, lst: list[tuple[int, tuple[int, ...]]], pc: int, caps: tuple[int, ...],
            s: str, at: int, mark: list[int], gen: int) -> None:
        """Add the thread at `pc` and everything reachable by empty transitions, in priority
        order (a depth-first walk; the first thread to reach an instruction owns it)."""
        kind, payload, out, out1 = self.p.kind, self.p.payload, self.p.out, self.p.out1
        stack = [(pc, caps)]
        while stack:
            pc, caps = stack.pop()
            if pc < 0 or mark[pc] == gen:
                continue
            mark[pc] = gen
            k = kind[pc]
            if k == I_SPLIT:
                stack.append((out1[pc], caps))
                stack.append((out[pc], caps))
            elif k == I_JMP:
                stack.append((out[pc], caps))
            elif k == I_SAVE:
                slot = payload[pc]
                if slot < len(caps):
                    caps = caps[:slot] + (at,) + caps[slot + 1 :]
                stack.append((out[pc], caps))
            elif k == I_ASSERT:
                if _assert_ok(payload[pc], s, at):
                    stack.append((out[pc], caps))
            else:
                lst.append((pc, caps))

    def search(self, s: str, pos: int, caps_wanted: bool) -> tuple[int, ...] | None:
        """The leftmost-first match starting at or after `pos`, as capture offsets."""
        p = self.p
        kind, payload, out = p.kind, p.payload, p.out
        mark = [-1] * len(kind)
        gen = 0
        n = len(s)
        init = self.empty_caps if caps_wanted else (-1, -1)
        clist: list[tuple[int, tuple[int, ...]]] = []
        matched: tuple[int, ...] | None = None
        i = pos
        while True:
            if matched is None and (i == 0 or not p.anchored):
                self.add(clist, p.start, init, s, i, mark, gen)
            if not clist:
                if matched is not None or i >= n or p.anchored:
                    break
                i += 1
                gen += 1
                continue
            gen += 1
            nlist: list[tuple[int, tuple[int, ...]]] = []
            ch = s[i] if i < n else ""
            for pc, caps in clist:
                k = kind[pc]
                if k == I_MATCH:
                    if not caps_wanted:
                        return caps
                    matched = caps  # lower-priority threads are cut off
                    break
                if not ch:
                    continue
                if k == I_SET:
                    ok = ch in payload[pc]
                elif k == I_RANGES:
                    ok = _in_ranges(payload[pc], ch)
                elif k == I_NOTNL:
                    ok = ch != "\n"
                else:
                    ok = k == I_ANY
                if ok:
                    self.add(nlist, out[pc], caps, s, i + 1, mark, gen)
            if i >= n:
                break
            clist = nlist
            i += 1
        return matched


# ---------------------------------------------------------------- compiled regexp

Match = list[int]  # [start0, end0, start1, end1, ...] char offsets, -1 where unset


class Regexp:
    """A compiled Go regexp: `match`, `find_all`, `split`, `replace` (Go's semantics)."""

    def __init__(self, pattern: str) -> None:
        parser = _Parser(pattern)
        self.root = parser.parse()
        self.pattern = pattern
        self.ncap = parser.ncap
        self.names = parser.names
        self.max_re_len = _max_re_len(self.root)
        self.py: re.Pattern[str] | None = None
        if self.max_re_len != 0:
            try:
                self.py = re.compile(_to_python(self.root))
            except (re.error, RecursionError, OverflowError):
                self.max_re_len = 0
        self._vm: _PikeVM | None = None

    def _use_re(self, s: str) -> bool:
        return self.py is not None and (self.max_re_len < 0 or len(s) <= self.max_re_len)

    @property
    def vm(self) -> _PikeVM:
        if self._vm is None:
            self._vm = _PikeVM(_VMProgram(self.root, self.ncap))
        return self._vm

    def match(self, s: str) -> bool:
        """Go's MatchString: does the text contain a match anywhere?"""
        if self._use_re(s):
            assert self.py is not None
            return self.py.search(s) is not None
        return self.vm.search(s, 0, False) is not None

    def _search(self, s: str, pos: int) -> Match | None:
        if self._use_re(s):
            assert self.py is not None
            m = self.py.search(s, pos)
            if m is None:
                return None
            out: Match = []
            for g in range(self.ncap + 1):
                out.extend(m.span(g))
            return out
        caps = self.vm.search(s, pos, True)
        return None if caps is None else list(caps)

    def find_all(self, s: str, n: int) -> list[Match]:
        """Go's FindAllStringSubmatchIndex(s, n) in char offsets (n < 0: all)."""
        out: list[Match] = []
        pos = 0
        prev_end = -1
        length = len(s)
        while (n < 0 or len(out) < n) and pos <= length:
            m = self._search(s, pos)
            if m is None:
                break
            accept = True
            if m[1] == pos:
                # An empty match right after the previous match is not reported.
                if m[0] == prev_end:
                    accept = False
                pos += 1
            else:
                pos = m[1]
            prev_end = m[1]
            if accept:
                out.append(m)
                if len(out) % 1024 == 0:
                    # Scripts get about four values per offset pair: bound them early.
                    limits.check_alloc(len(out) * len(m) * 2 * SLOT_BYTES)
        return out

    def split(self, s: str, n: int) -> list[str]:
        """Go's Regexp.Split."""
        if n == 0:
            return []
        if self.pattern and not s:
            return [""]
        parts: list[str] = []
        beg = end = 0
        for m in self.find_all(s, n):
            if n > 0 and len(parts) == n - 1:
                break
            end = m[0]
            if m[1] != 0:
                parts.append(s[beg:end])
            beg = m[1]
        if end != len(s):
            parts.append(s[beg:])
        return parts

    def replace(self, s: str, template: str) -> str:
        """Go's ReplaceAllString (with `$1`, `${name}` expansion), budget-checked."""
        out: list[str] = []
        size = 0
        idx = 0
        for m in self.find_all(s, -1):
            piece = s[idx : m[0]] + self.expand(template, s, m)
            size += len(piece)
            limits.check_alloc(size)
            out.append(piece)
            idx = m[1]
        out.append(s[idx:])
        limits.check_alloc(size + len(s) - idx)
        return "".join(out)

    def expand(self, template: str, s: str, m: Match) -> str:
        """Go's Regexp.ExpandString of one match."""
        out: list[str] = []
        rest = template
        while True:
            k = rest.find("$")
            if k < 0:
                break
            out.append(rest[:k])
            rest = rest[k + 1 :]
            if rest.startswith("$"):
                out.append("$")
                rest = rest[1:]
                continue
            ref = _extract_ref(rest)
            if ref is None:
                out.append("$")
                continue
            name, num, rest = ref
            group = num if num >= 0 else self._group_index(name, m)
            if 0 <= group <= self.ncap and m[2 * group] >= 0:
                out.append(s[m[2 * group] : m[2 * group + 1]])
        out.append(rest)
        return "".join(out)

    def _group_index(self, name: str, m: Match) -> int:
        """The first group called `name` that took part in the match (names may repeat)."""
        for i, n in enumerate(self.names):
            if i and n == name and m[2 * i] >= 0:
                return i
        return -1


def _extract_ref(text: str) -> tuple[str, int, str] | None:
    """Go's regexp `extract`: the `name`/`{name}` after a `$`, its number, and the rest."""
    brace = text.startswith("{")
    body = text[1:] if brace else text
    i = 0
    while i < len(body):
        r = ord(body[i])
        if not (ut.is_letter(r) or ut.is_digit(r) or body[i] == "_"):
            break
        i += 1
    if i == 0:
        return None
    name = body[:i]
    if brace:
        if i >= len(body) or body[i] != "}":
            return None
        i += 1
    num = -1
    if name.isascii() and name.isdigit() and len(name) <= 8 and not (
        name[0] == "0" and len(name) > 1
    ):
        num = int(name)
    return name, num, body[i:]


@lru_cache(maxsize=256)
def compile_regexp(pattern: str) -> Regexp:
    """Compile (and cache) a Go regexp; raises RegexSyntaxError with Go's message."""
    return Regexp(pattern)


def byte_offsets(s: str, idxs: list[int]) -> Callable[[int], int]:
    """Map char offsets of `s` to Go byte offsets (computed in one pass over `idxs`)."""
    if s.isascii():
        return lambda i: i
    table: dict[int, int] = {-1: -1}
    pos = 0
    acc = 0
    for i in sorted(set(idxs)):
        if i < 0:
            continue
        acc += len(s[pos:i].encode("utf-8", "surrogateescape"))
        pos = i
        table[i] = acc
    return table.__getitem__
