"""The records rules read: for each value and named agent of a claim, its status and the
passages that support it, contradict it or tell where it belongs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..claims import Claim
from ..quantities import Quantity
from .index import Passage


class Status(StrEnum):
    """What the cited sources say of one value or agent of a claim."""

    SUPPORTED = "supported"  # a passage gives it
    PUBYEAR = "pubyear"  # a year that is a cited source's publication year
    COMPUTED = "computed"  # the quotient of two numbers the claim or its lead-in states
    MISSING = "missing"  # no passage gives it (see ValueCheck.against for a contradiction)
    MISBOUND = "misbound"  # a passage gives it, about something else (ValueCheck.better)


@dataclass
class ValueCheck:
    """The verdict on one value of a claim."""

    q: Quantity
    status: Status
    support: Passage | None = None
    nearest: Passage | None = None
    better: Passage | None = None  # for misbound: where the claim's subject gets its value
    against: Passage | None = None  # for missing: the passage on the same subject, another value


@dataclass
class AgentCheck:
    name: str
    start: int
    end: int
    status: Status  # SUPPORTED or MISSING
    support: Passage | None = None


@dataclass
class Verdict:
    claim: Claim
    values: list[ValueCheck] = field(default_factory=list)
    agents: list[AgentCheck] = field(default_factory=list)
    checked: bool = True  # False when a cited key has no source text

    @property
    def ok(self) -> bool:
        fine = {Status.SUPPORTED, Status.PUBYEAR, Status.COMPUTED}
        return all(v.status in fine for v in self.values) and all(
            a.status == Status.SUPPORTED for a in self.agents
        )
