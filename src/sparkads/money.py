"""Money is integer micros (1/1,000,000) of the account currency; never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MICROS = 1_000_000


def to_micros(amount: Decimal | int | float | str) -> int:
    return int((Decimal(str(amount)) * MICROS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_micros(micros: int) -> Decimal:
    return (Decimal(micros) / MICROS).quantize(Decimal("0.000001"))


# Approximate EUR value of one unit of each supported currency, so bids in different currencies
# compete on one scale in the auction. Static on purpose: a sandbox must be reproducible; an
# operator replaces the table to follow markets.
EUR_PER_UNIT: dict[str, float] = {
    "EUR": 1.0,
    "USD": 0.92,
    "GBP": 1.17,
    "CHF": 1.05,
    "CAD": 0.68,
    "AUD": 0.61,
    "JPY": 0.0062,
    "BRL": 0.17,
    "MXN": 0.051,
    "SEK": 0.088,
    "PLN": 0.23,
}

# digits after the decimal point people write amounts with (ISO 4217 minor units); 2 otherwise
MINOR_DIGITS: dict[str, int] = {"JPY": 0}


def shown(amount: float | Decimal, currency: str) -> str:
    """An amount as people write it: to the cent (or the currency's digits), thousands grouped."""
    digits = MINOR_DIGITS.get(currency, 2)
    return f"{Decimal(str(amount)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP):,}"
