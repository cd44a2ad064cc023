"""Money without floats: :class:`~decimal.Decimal` throughout, whole kroner outside.

Every amount a user gives (prices, budgets, caps, deflators) is read as a Decimal from its text
(never through a float). Arithmetic runs in :data:`CONTEXT`, 50 significant digits: sums and
products of amounts are exact; only the shares of a split (a member's fraction of a key) are
quotients, carried to 50 digits, far below a krone. Money is then rounded to whole kroner:

* one amount: half a krone and up rounds up (:func:`round_half_up`, «vanlig avrunding»);
* a set of payments that must add up to a total (a split budget): the **largest-remainder
  method** (:func:`largest_remainder`) — every payment is first rounded down, and the kroner still
  missing go one each to the payments with the largest dropped fractions (ties: the order given,
  which is the member order by kommunenummer). The rounded payments then sum to the total exactly,
  and no payment moves by a krone or more from its computed value.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, InvalidOperation

#: The arithmetic of every computation (``with localcontext(CONTEXT)``).
CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP)
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)


def exact(value: Decimal | int | str) -> Decimal:
    """``value`` as a Decimal («20,50», «100 000» and «1e3» read as written); a float is refused:
    it is never money here."""
    if isinstance(value, float):
        raise TypeError("money is never a float")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def round_half_up(value: Decimal) -> int:
    """The nearest whole krone; half a krone rounds away from zero."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def round_ore(value: Decimal) -> Decimal:
    """To whole øre (two decimals), half up."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def largest_remainder(amounts: list[Decimal], total: int) -> list[int]:
    """Whole kroner for non-negative ``amounts`` that sum exactly to ``total``.

    ``total`` must lie between the sum of the amounts rounded down and that sum plus the number of
    amounts (it normally is the budget, or the exact sum rounded half up). Each amount is rounded
    down; the kroner left go to the largest remainders, earlier amounts first on ties."""
    floors = [floor(a) for a in amounts]
    missing = total - sum(floors)
    if missing < 0 or missing > len(amounts):
        raise ValueError(f"total {total} cannot be reached from {sum(amounts)}")
    order = sorted(range(len(amounts)), key=lambda i: (floors[i] - amounts[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return floors


def as_decimal(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (for costs per inhabitant and figures)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(value: Decimal | None) -> int | str | None:
    """An amount as JSON: an integer, or its decimal text («20.5») when it has decimals."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f")


def decimals(value: Decimal) -> int:
    """How many decimals ``value`` has (20.50 → 1, 100 → 0)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


__all__ = ["CONTEXT", "HUNDRED", "ONE", "ZERO", "as_decimal", "decimals", "exact", "floor",
           "largest_remainder", "math", "plain", "round_half_up", "round_ore"]  # fmt: skip
