"""Bounds shared by the model and the file reader, in a module of their own so that reading a file needs no
model (and so no pydantic)."""

from __future__ import annotations

# The most a payment or an ending's loss may be: ¥100 million, far beyond any call an advisory tells of.
# Bounded so that a call's total (a payment a turn, at most 500,000 values in a file) and the history's sums
# of them stay far inside SQLite's 64-bit integers.
MAX_YUAN = 100_000_000
