"""Tengo's `math` module with Go's `math` semantics.

Where Python's `math` raises (domain errors, overflow) Go returns NaN or an infinity, and
so does this module: `sqrt(-1)` is NaN, `log(0)` is -Inf, `pow(0, -1)` is +Inf, `exp(1000)`
is +Inf. Every special case Go documents is reproduced, and so are Go's own formulas
where they change the digits a script prints: `log` follows Go's amd64 algorithm bit for
bit (so `log10(1000)` is exactly 3 and `log2`, `log10` and `pow` come out as in Go), and
`pow` decomposes the exponent the way Go does (integer powers by repeated squaring).
The remaining transcendental functions come from the C library: Go's results depend on
the CPU (its amd64 `exp` changes with FMA support) and can differ from ours in the last
bit. The Bessel functions (`j0`..`yn`) are computed here from their series and asymptotic
expansions, to within a few units in the last place.

Arguments convert with Tengo's `ToFloat64`/`ToInt64` rules (`convert`), so `"2.5"` is a
valid float argument. `arg_error` (Tengo's argument-type error) serves `times` and `rand` too.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

from scriptvisor.engines.tengo import convert
from scriptvisor.engines.tengo.values import INT_MAX, INT_MIN, RuntimeErr, type_name

INF = math.inf
NAN = math.nan
MAX_INT32 = (1 << 31) - 1
MIN_INT32 = -(1 << 31)

# ---------------------------------------------------------------- arguments

ARG_NAMES = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth")


def arg_error(index: int, expected: str, found: Any) -> RuntimeErr:
    """Tengo's ErrInvalidArgumentType for argument number `index` (0-based)."""
    return RuntimeErr(
        f"invalid type for argument '{ARG_NAMES[index]}': "
        f"expected {expected}, found {type_name(found)}"
    )


def _float_arg(args: tuple[Any, ...], i: int) -> float:
    v = convert.to_float(args[i])
    if v is None:
        raise arg_error(i, "float(compatible)", args[i])
    return v


def _int_arg(args: tuple[Any, ...], i: int) -> int:
    v = convert.to_int(args[i])
    if v is None:
        raise arg_error(i, "int(compatible)", args[i])
    return v


def _check_count(args: tuple[Any, ...], n: int) -> None:
    if len(args) != n:
        raise RuntimeErr("wrong number of arguments")


# ---------------------------------------------------------------- Go semantics

def _bits(x: float) -> int:
    return int.from_bytes(struct.pack("<d", x), "little")


def _from_bits(b: int) -> float:
    return float(struct.unpack("<d", b.to_bytes(8, "little"))[0])


def _is_odd_int(y: float) -> bool:
    if math.isinf(y) or y != math.floor(y):
        return False
    return abs(y) < 2.0**63 and int(y) & 1 == 1


_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
       2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
       1.479819860511658591e-01)
_HALF_SQRT2 = 7.07106781186547524401e-01


def go_log(x: float) -> float:
    """Natural log exactly as Go computes it on amd64 (fdlibm's reduction and polynomial).

    Like Go's assembly it takes the exponent straight from the bits, so a subnormal x gives
    Go's (inaccurate) answer, e.g. log(5e-324) is -709.0895657128241.
    """
    b = _bits(x)
    if b & ~(1 << 63) == 0:
        return -INF
    if b >> 63:
        return NAN
    if b >= 0x7FF0000000000000:
        return x
    f1 = _from_bits((b & 0x000FFFFFFFFFFFFF) | 0x3FE0000000000000)
    k = float(((b >> 52) & 0x7FF) - 0x3FE)
    if f1 < _HALF_SQRT2:
        f1 *= 2
        k -= 1
    f = f1 - 1
    s = f / (2 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (_LG[0] + s4 * (_LG[2] + s4 * (_LG[4] + s4 * _LG[6])))
    t2 = s4 * (_LG[1] + s4 * (_LG[3] + s4 * _LG[5]))
    r = t1 + t2
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + r) + k * _LN2_LO)) - f)


_LOG10E = 0.43429448190325182765112891891660508229439700580366656611445378316586464920887
_LOG2E = 1.44269504088896340735992468100189213742664595415298593413544940693110921918118507988


def go_log10(x: float) -> float:
    return go_log(x) * _LOG10E


def go_log2(x: float) -> float:
    """Go's Log2: exact for powers of two, else log(frac)/ln2 + exp."""
    frac, exp = math.frexp(x)
    if frac == 0.5:
        return float(exp - 1)
    return go_log(frac) * _LOG2E + exp


def go_log1p(x: float) -> float:
    if x == -1:
        return -INF
    if x < -1:
        return NAN
    return math.log1p(x)


def go_pow(x: float, y: float) -> float:
    """Go's math.Pow: its special cases, then x**frac(y) * x**int(y) by repeated squaring."""
    special = _pow_special(x, y)
    if special is not None:
        return special
    yi = math.floor(abs(y))
    yf = abs(y) - yi
    if yf != 0 and x < 0:
        return NAN
    if yi >= 2.0**63:
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else INF
    a1, ae = 1.0, 0
    if yf != 0:
        if yf > 0.5:
            yf -= 1
            yi += 1
        a1 = _exp(yf * go_log(x))
    x1, xe = math.frexp(x)
    i = int(yi)
    while i:
        if not -(1 << 12) <= xe <= 1 << 12:
            ae += xe  # the final ldexp overflows or underflows anyway
            break
        if i & 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if y < 0:
        a1, ae = 1 / a1, -ae
    return _ldexp(a1, ae)


def _pow_special(x: float, y: float) -> float | None:
    if y == 0 or x == 1:
        return 1.0
    if y == 1:
        return x
    if x != x or y != y:
        return NAN
    if x == 0:
        if y < 0:
            return math.copysign(INF, x) if _is_odd_int(y) else INF
        return x if _is_odd_int(y) else 0.0
    if math.isinf(y):
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else INF
    if math.isinf(x):
        if x < 0:
            return go_pow(1 / x, -y)
        return 0.0 if y < 0 else INF
    if y == 0.5:
        return _sqrt(x)
    if y == -0.5:
        return 1 / _sqrt(x)
    return None


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _ldexp(frac: float, exp: int) -> float:
    try:
        return math.ldexp(frac, exp)
    except OverflowError:
        return math.copysign(INF, frac)


def _sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 or x != x else NAN


def go_pow10(n: int) -> float:
    """Go's Pow10: a product of two table entries (not always correctly rounded, like Go)."""
    if 0 <= n <= 308:
        return float(f"1e{(n // 32) * 32}") * float(f"1e{n % 32}")
    if -323 <= n < 0:
        return float(f"1e-{(-n // 32) * 32}") / float(f"1e{-n % 32}")
    return INF if n > 0 else 0.0


def go_gamma(x: float) -> float:
    if x == 0:
        return math.copysign(INF, x)
    if x != x or x == -INF or (x < 0 and x == math.floor(x)):
        return NAN
    try:
        return math.gamma(x)
    except OverflowError:
        if x > 0:
            return INF
        return -INF if math.floor(x) % 2 else INF  # the sign alternates between poles


def go_sinh(x: float) -> float:
    """Go's Sinh: through exp above 0.5 (so it overflows where Go's does)."""
    ax = abs(x)
    if ax <= 0.5:
        return math.sinh(x)
    if ax > 21:
        value = _exp(ax) * 0.5
    else:
        ex = _exp(ax)
        value = (ex - 1 / ex) * 0.5
    return -value if x < 0 else value


def go_cosh(x: float) -> float:
    """Go's Cosh: (e**x + e**-x) / 2, or e**x / 2 above 21."""
    ax = abs(x)
    if ax > 21:
        return _exp(ax) * 0.5
    ex = _exp(ax)
    return (ex + 1 / ex) * 0.5


def go_tanh(x: float) -> float:
    """Go's Tanh: 1 - 2/(e**2|x| + 1) from |x| = 0.625 on, +-1 past 44."""
    z = abs(x)
    if z > 44.014845965556527:
        return -1.0 if x < 0 else 1.0
    if z >= 0.625:
        z = 1 - 2 / (_exp(2 * z) + 1)
        return -z if x < 0 else z
    return math.tanh(x)


def go_atan2(y: float, x: float) -> float:
    """Go's Atan2: C's special cases, else atan(y/x) moved to the right quadrant."""
    if y != y or x != x or y == 0 or x == 0 or math.isinf(x) or math.isinf(y):
        return math.atan2(y, x)
    q = math.atan(y / x)
    if x < 0:
        return q + math.pi if q <= 0 else q - math.pi
    return q


def go_hypot(p: float, q: float) -> float:
    """Go's amd64 Hypot: max * sqrt(1 + (min/max)**2); an infinity wins over NaN."""
    p, q = abs(p), abs(q)
    if p == INF or q == INF:
        return INF
    if p != p or q != q:
        return NAN
    if p == 0 and q == 0:
        return 0.0
    big, small = (p, q) if p >= q else (q, p)
    ratio = small / big
    return big * math.sqrt(1 + ratio * ratio)


def go_atanh(x: float) -> float:
    if abs(x) == 1:
        return math.copysign(INF, x)
    return math.atanh(x) if abs(x) < 1 else NAN


def _overflow_to_inf(fn: Callable[[float], float]) -> Callable[[float], float]:
    """Go returns +Inf where Python raises OverflowError (exp, exp2, expm1)."""
    def call(x: float) -> float:
        try:
            return fn(x)
        except OverflowError:
            return INF

    return call


def _domain_nan(fn: Callable[..., float]) -> Callable[..., float]:
    """Go returns NaN where Python raises ValueError (outside the domain)."""
    def call(*xs: float) -> float:
        try:
            return fn(*xs)
        except ValueError:
            return NAN

    return call


def _rounding(fn: Callable[[float], int]) -> Callable[[float], float]:
    """floor/ceil/trunc as floats, keeping infinities, NaN and the sign of zero."""
    def call(x: float) -> float:
        if x != x or math.isinf(x):
            return x
        return math.copysign(float(fn(x)), x)

    return call


def go_max(x: float, y: float) -> float:
    if x == INF or y == INF:
        return INF
    if x != x or y != y:
        return NAN
    if x == 0 and x == y:
        return y if math.copysign(1, x) < 0 else x
    return x if x > y else y


def go_min(x: float, y: float) -> float:
    if x == -INF or y == -INF:
        return -INF
    if x != x or y != y:
        return NAN
    if x == 0 and x == y:
        return x if math.copysign(1, x) < 0 else y
    return x if x < y else y


def go_dim(x: float, y: float) -> float:
    v = x - y
    return 0.0 if v <= 0 else v


def go_nextafter(x: float, y: float) -> float:
    if x == y:
        return x  # C returns y here, so nextafter(0, -0) would differ
    return math.nextafter(x, y)


def go_ilogb(x: float) -> int:
    if x == 0:
        return MIN_INT32
    if x != x or math.isinf(x):
        return MAX_INT32
    return math.frexp(x)[1] - 1


def go_logb(x: float) -> float:
    if x == 0:
        return -INF
    if math.isinf(x):
        return INF
    if x != x:
        return x
    return float(math.frexp(x)[1] - 1)


# ---------------------------------------------------------------- Bessel functions

_PREC = 60
_D_PI = Decimal("3.14159265358979323846264338327950288419716939937510582097494459231")
_D_EULER = Decimal("0.57721566490153286060651209008240243104215933593992359880576723488")
_SERIES_LIMIT = 25.0  # below: power series in Decimal; above: Hankel's expansion
_HUGE = 2.0**302
_TWO_M27 = 2.0**-27
_TWO_M29 = 2.0**-29


def _series_j(n: int, x: float) -> Decimal:
    """J_n(x) = sum (-1)^k (x/2)^(2k+n) / (k! (n+k)!), summed in 60-digit decimals."""
    h = Decimal(x) / 2
    q = -h * h
    term = (h**n if n else Decimal(1)) / math.factorial(n)
    total = term
    k = 0
    while True:
        k += 1
        term = term * q / (k * (n + k))
        total += term
        if k > abs(h) and (term == 0 or abs(term) < abs(total).scaleb(-45)):
            return total


def _series_y_tail(n: int, x: float) -> Decimal:
    """sum (psi(k+1) + psi(n+k+1)) (-x^2/4)^k / (k! (n+k)!) for the Y_n series (n=0, 1)."""
    h = Decimal(x) / 2
    q = -h * h
    psi_k = -_D_EULER  # psi(k + 1)
    psi_nk = -_D_EULER + sum((Decimal(1) / j for j in range(1, n + 1)), Decimal(0))
    term = Decimal(1) / math.factorial(n)
    total = (psi_k + psi_nk) * term
    k = 0
    while True:
        k += 1
        psi_k += Decimal(1) / k
        psi_nk += Decimal(1) / (n + k)
        term = term * q / (k * (n + k))
        step = (psi_k + psi_nk) * term
        total += step
        if k > abs(h) and (step == 0 or abs(step) < abs(total).scaleb(-45)):
            return total


def _series_y(n: int, x: float) -> float:
    """Y_0 or Y_1 for 0 < x < 25 (Abramowitz & Stegun 9.1.11)."""
    with localcontext() as ctx:
        ctx.prec = _PREC
        d = Decimal(x)
        value = 2 / _D_PI * (d / 2).ln() * _series_j(n, x)
        value -= (d / 2) ** n / _D_PI * _series_y_tail(n, x)
        if n == 1:
            value -= 2 / (_D_PI * d)
        return float(value)


def _hankel_pq(nu: int, x: float) -> tuple[Decimal, Decimal]:
    """Hankel's asymptotic P and Q for order `nu` (accurate for x >= 25)."""
    mu = 4 * nu * nu
    inv8x = 1 / (8 * Decimal(x))
    p, q, term, k = Decimal(1), Decimal(0), Decimal(1), 0
    while True:
        k += 1
        nxt = term * (mu - (2 * k - 1) ** 2) * inv8x / k
        if nxt == 0 or abs(nxt) >= abs(term):
            return p, q
        term = nxt
        sign = 1 if (k // 2) % 2 == 0 else -1
        if k % 2:
            q += sign * term
        else:
            p += sign * term
        if abs(term) < Decimal("1e-40"):
            return p, q


def _sin_plus_minus_cos(x: float) -> tuple[Decimal, Decimal]:
    """(sin x + cos x, sin x - cos x), the small one recovered from cos 2x without loss."""
    s, c = Decimal(math.sin(x)), Decimal(math.cos(x))
    plus, minus = s + c, s - c
    if x < 8.0e307:
        minus_cos2x = Decimal(-math.cos(2 * x))  # = (s + c)(s - c)
        if abs(plus) < abs(minus):
            plus = minus_cos2x / minus
        else:
            minus = minus_cos2x / plus
    return plus, minus


def _hankel(order: int, x: float) -> tuple[float, float]:
    """(J_order(x), Y_order(x)) for order 0 or 1 and x >= 25."""
    with localcontext() as ctx:
        ctx.prec = 40
        p, q = _hankel_pq(order, x) if x < _HUGE else (Decimal(1), Decimal(0))
        plus, minus = _sin_plus_minus_cos(x)
        scale = (_D_PI * Decimal(x)).sqrt()
        if order == 0:
            return float((p * plus - q * minus) / scale), float((p * minus + q * plus) / scale)
        return float((p * minus + q * plus) / scale), float((q * minus - p * plus) / scale)


def go_j0(x: float) -> float:
    if x != x:
        return x
    x = abs(x)
    if x == INF:
        return 0.0
    if x < _SERIES_LIMIT:
        with localcontext() as ctx:
            ctx.prec = _PREC
            return float(_series_j(0, x))
    return _hankel(0, x)[0]


def go_j1(x: float) -> float:
    if x != x:
        return x
    if math.isinf(x) or x == 0:
        return 0.0
    if abs(x) < _TWO_M27:
        return 0.5 * abs(x)  # Go drops the sign here (J1 is odd): kept for fidelity
    if abs(x) < _SERIES_LIMIT:
        with localcontext() as ctx:
            ctx.prec = _PREC
            return float(_series_j(1, x))
    value = _hankel(1, abs(x))[0]
    return -value if x < 0 else value


def _y_order(order: int, x: float) -> float:
    if x < 0 or x != x:
        return NAN
    if x == INF:
        return 0.0
    if x == 0:
        return -INF
    if x < _SERIES_LIMIT:
        return _series_y(order, x)
    return _hankel(order, x)[1]


def go_y0(x: float) -> float:
    return _y_order(0, x)


def go_y1(x: float) -> float:
    return _y_order(1, x)


def _huge_x_bessel(n: int, x: float, second_kind: bool) -> float:
    """J_n or Y_n for x >= 2**302: sqrt(2/(pi x)) cos or sin of x - (2n+1)pi/4."""
    s, c = math.sin(x), math.cos(x)
    cos_terms = (c + s, s - c, -c - s, c - s)  # sqrt2 * cos(x - (2n+1)pi/4) by n % 4
    sin_terms = (s - c, -s - c, c - s, s + c)
    temp = (sin_terms if second_kind else cos_terms)[n & 3]
    return temp / math.sqrt(math.pi * x)


def go_jn(n: int, x: float) -> float:
    """Go's Jn: forward recurrence when n <= x, Miller's backward recurrence otherwise."""
    if x != x:
        return x
    if math.isinf(x):
        return 0.0
    if n == 0:
        return go_j0(x)
    if x == 0:
        return 0.0
    if n < 0:
        n, x = -n, -x
    if n == 1:
        return go_j1(x)
    negate = x < 0 and n & 1 == 1
    x = abs(x)
    if n <= x:
        if x >= _HUGE:
            value = _huge_x_bessel(n, x, False)
        else:
            a, value = go_j0(x), go_j1(x)
            for i in range(1, n):
                a, value = value, value * ((i + i) / x) - a
    elif x < _TWO_M29:
        value = _tiny_x_jn(n, x)
    else:
        value = _miller_jn(n, x)
    return -value if negate else value


def _tiny_x_jn(n: int, x: float) -> float:
    """The first Taylor term (x/2)**n / n!, computed as Go does (0 past n = 33)."""
    if n > 33:
        return 0.0
    half = x * 0.5
    power, fact = half, 1.0
    for i in range(2, n + 1):
        fact *= i
        power *= half
    return power / fact


def _miller_jn(n: int, x: float) -> float:
    """J_n(x) for n > x > 0 by backward recurrence normalized with J0 + 2*sum(J_2k) = 1."""
    start = n + 20 + int(math.sqrt(160.0 * n))
    start += start & 1
    upper, current = 0.0, 1e-300
    total = 0.0
    saved = 0.0
    for k in range(start, 0, -1):
        lower = (2 * k / x) * current - upper  # J_(k-1) from J_k and J_(k+1)
        upper, current = current, lower
        if abs(current) > 1e250:  # rescale everything gathered so far
            upper, current, total, saved = (upper * 1e-250, current * 1e-250,
                                            total * 1e-250, saved * 1e-250)
        if k - 1 == n:
            saved = current
        if (k - 1) % 2 == 0 and k - 1 > 0:
            total += 2 * current
    total += current  # J_0
    return saved / total


def go_yn(n: int, x: float) -> float:
    """Go's Yn: forward recurrence from Y0 and Y1 (stable for the second kind)."""
    if x < 0 or x != x:
        return NAN
    if x == INF:
        return 0.0
    if n == 0:
        return go_y0(x)
    if x == 0:
        return INF if n < 0 and n & 1 == 1 else -INF
    negate = n < 0 and n & 1 == 1
    n = abs(n)
    if n == 1:
        value = go_y1(x)
    elif x >= _HUGE:
        value = _huge_x_bessel(n, x, True)
    else:
        a, value = go_y0(x), go_y1(x)
        i = 1
        while i < n and value != -INF:
            a, value = value, ((i + i) / x) * value - a
            i += 1
    return -value if negate else value


def go_cbrt(x: float) -> float:
    """Cube root rounded to nearest, as Go's Cbrt is (libm's may be an ulp off: cbrt(27))."""
    r = math.cbrt(x)
    if r == 0.0 or not math.isfinite(r):
        return r
    target = Fraction(x)
    candidates = (math.nextafter(r, -math.inf), r, math.nextafter(r, math.inf))
    return min(candidates, key=lambda c: abs(Fraction(c) ** 3 - target))


# ---------------------------------------------------------------- module table

_FLOAT_TO_FLOAT: dict[str, Callable[[float], float]] = {
    "abs": math.fabs,
    "acos": _domain_nan(math.acos),
    "acosh": _domain_nan(math.acosh),
    "asin": _domain_nan(math.asin),
    "asinh": math.asinh,
    "atan": math.atan,
    "atanh": go_atanh,
    "cbrt": go_cbrt,
    "ceil": _rounding(math.ceil),
    "cos": _domain_nan(math.cos),
    "cosh": go_cosh,
    "erf": math.erf,
    "erfc": math.erfc,
    "exp": _overflow_to_inf(math.exp),
    "exp2": _overflow_to_inf(math.exp2),
    "expm1": _overflow_to_inf(math.expm1),
    "floor": _rounding(math.floor),
    "gamma": go_gamma,
    "j0": go_j0,
    "j1": go_j1,
    "log": go_log,
    "log10": go_log10,
    "log1p": go_log1p,
    "log2": go_log2,
    "logb": go_logb,
    "sin": _domain_nan(math.sin),
    "sinh": go_sinh,
    "sqrt": _sqrt,
    "tan": _domain_nan(math.tan),
    "tanh": go_tanh,
    "trunc": _rounding(math.trunc),
    "y0": go_y0,
    "y1": go_y1,
}

_FLOAT_FLOAT_TO_FLOAT: dict[str, Callable[[float, float], float]] = {
    "atan2": go_atan2,
    "copysign": math.copysign,
    "dim": go_dim,
    "hypot": go_hypot,
    "max": go_max,
    "min": go_min,
    "mod": _domain_nan(math.fmod),
    "nextafter": go_nextafter,
    "pow": go_pow,
    "remainder": _domain_nan(math.remainder),
}

_INT_FLOAT_TO_FLOAT: dict[str, Callable[[int, float], float]] = {"jn": go_jn, "yn": go_yn}


def tengo_name(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """Give a stdlib function its Tengo name: `type_name` reads `__name__`, and error
    messages (`... in call to 'user-function:NAME'`) read the code object's name."""
    fn.__name__ = fn.__qualname__ = name
    code = fn.__code__
    fn.__code__ = code.replace(co_name=name, co_qualname=name)
    return fn


def _wrap_f_f(name: str, fn: Callable[[float], float]) -> Callable[..., Any]:
    def call(*args: Any) -> float:
        _check_count(args, 1)
        return fn(_float_arg(args, 0))

    return tengo_name(name, call)


def _wrap_ff_f(name: str, fn: Callable[[float, float], float]) -> Callable[..., Any]:
    def call(*args: Any) -> float:
        _check_count(args, 2)
        return fn(_float_arg(args, 0), _float_arg(args, 1))

    return tengo_name(name, call)


def _wrap_if_f(name: str, fn: Callable[[int, float], float]) -> Callable[..., Any]:
    def call(*args: Any) -> float:
        _check_count(args, 2)
        return fn(_int_arg(args, 0), _float_arg(args, 1))

    return tengo_name(name, call)


def math_ilogb(*args: Any) -> int:
    _check_count(args, 1)
    return go_ilogb(_float_arg(args, 0))


def math_inf(*args: Any) -> float:
    _check_count(args, 1)
    return INF if _int_arg(args, 0) >= 0 else -INF


def math_is_inf(*args: Any) -> bool:
    _check_count(args, 2)
    f, sign = _float_arg(args, 0), _int_arg(args, 1)
    return (sign >= 0 and f == INF) or (sign <= 0 and f == -INF)


def math_is_nan(*args: Any) -> bool:
    _check_count(args, 1)
    f = _float_arg(args, 0)
    return f != f


def math_ldexp(*args: Any) -> float:
    _check_count(args, 2)
    return _ldexp(_float_arg(args, 0), _int_arg(args, 1))


def math_nan(*args: Any) -> float:
    _check_count(args, 0)
    return NAN


def math_pow10(*args: Any) -> float:
    _check_count(args, 1)
    return go_pow10(_int_arg(args, 0))


def math_signbit(*args: Any) -> bool:
    _check_count(args, 1)
    return math.copysign(1.0, _float_arg(args, 0)) < 0


CONSTANTS: dict[str, Any] = {
    "e": math.e,
    "pi": math.pi,
    "phi": 1.61803398874989484820458683436563811772030917980576286213544862,
    "sqrt2": 1.41421356237309504880168872420969807856967187537694807317667974,
    "sqrtE": 1.64872127070012814684865078831848487050960172891896137986895006,
    "sqrtPi": 1.77245385090551602729816748334114518279754945612238712821380779,
    "sqrtPhi": 1.27201964951406896425242246173749149171560804184009624861664038,
    "ln2": 0.693147180559945309417232121458176568075500134360255254120680009,
    "log2E": _LOG2E,
    "ln10": 2.30258509299404568401799145468436420760110148862877297603332790,
    "log10E": _LOG10E,
    "maxFloat32": 3.40282346638528859811704183484516925440e38,
    "smallestNonzeroFloat32": 1.401298464324817070923729583289916131280e-45,
    "maxFloat64": 1.79769313486231570814527423731704356798070e308,
    "smallestNonzeroFloat64": 4.9406564584124654417656879286822137236505980e-324,
    "maxInt": INT_MAX,
    "minInt": INT_MIN,
    "maxInt8": 127,
    "minInt8": -128,
    "maxInt16": 32767,
    "minInt16": -32768,
    "maxInt32": MAX_INT32,
    "minInt32": MIN_INT32,
    "maxInt64": INT_MAX,
    "minInt64": INT_MIN,
}


def module() -> dict[str, Any]:
    """The members of `import("math")`."""
    members: dict[str, Any] = dict(CONSTANTS)
    members.update({n: _wrap_f_f(n, f) for n, f in _FLOAT_TO_FLOAT.items()})
    members.update({n: _wrap_ff_f(n, f) for n, f in _FLOAT_FLOAT_TO_FLOAT.items()})
    members.update({n: _wrap_if_f(n, f) for n, f in _INT_FLOAT_TO_FLOAT.items()})
    members.update({
        "ilogb": tengo_name("ilogb", math_ilogb),
        "inf": tengo_name("inf", math_inf),
        "is_inf": tengo_name("is_inf", math_is_inf),
        "is_nan": tengo_name("is_nan", math_is_nan),
        "ldexp": tengo_name("ldexp", math_ldexp),
        "nan": tengo_name("nan", math_nan),
        "pow10": tengo_name("pow10", math_pow10),
        "signbit": tengo_name("signbit", math_signbit),
    })
    return members
