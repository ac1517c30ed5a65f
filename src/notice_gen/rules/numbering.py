"""The numbering rules of each rulebook, in one place.

ND 30/2020 Điều 15, format-rules §4.1: numbers run from 01 on 1 January to 31 December per
issuing body; the head decides one series or one per kind; secret documents and advisory
bodies (Hội đồng, Ban, Tổ) keep their own series.
HD 36 / HD 05, format-rules §8.1: numbers run from 01 per kind through one party term
(nhiệm kỳ), never reset by year; secret documents share the series of their kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Numbering:
    """How a rulebook numbers outgoing documents."""

    scope: Literal["year", "term"]  # what restarts the series at 01
    per_kind: Literal["choice", "always"]  # "choice": register.series single | per-kind
    default_series: Literal["single", "per-kind"]
    secret_apart: bool  # may secret documents keep a series of their own
    advisory_apart: bool  # may an advisory body keep a series of its own


STATE = Numbering("year", "choice", "single", secret_apart=True, advisory_apart=True)
PARTY = Numbering("term", "always", "per-kind", secret_apart=False, advisory_apart=False)

NUMBERING = {"nd30": STATE, "party-hd05": PARTY, "party-hd36": PARTY}
