"""The rule registry: one module per rule, keyed by its stable code. Codes are never reused."""

from __future__ import annotations

from types import ModuleType

from ..config import Config
from ..errors import InputError
from . import (
    gl001_unused_suppression,
    gl101_unknown_key,
    gl102_uncited_claim,
    gl103_uncited_entry,
    gl104_no_source_text,
    gl105_raw_output,
    gl106_unread_number,
    gl201_value_not_in_source,
    gl202_agent_not_in_source,
    gl203_value_about_something_else,
    gl205_unverified,
    gl301_contradicts_ledger,
    gl401_outdated_claim,
    gl402_stale_support,
    gl501_bibliography_mismatch,
    gl502_ledger_quote,
    gl503_mention_mismatch,
    gl601_missing_section,
    gl602_abstract_length,
    gl603_heading_skip,
    gl604_unreferenced_float,
    gl605_placeholder,
    gl606_key_points,
    gl607_evidence_cutoff,
    gl608_title_page,
)

_MODULES: list[ModuleType] = [
    gl001_unused_suppression,
    gl101_unknown_key,
    gl102_uncited_claim,
    gl103_uncited_entry,
    gl104_no_source_text,
    gl105_raw_output,
    gl106_unread_number,
    gl201_value_not_in_source,
    gl202_agent_not_in_source,
    gl203_value_about_something_else,
    gl205_unverified,
    gl301_contradicts_ledger,
    gl401_outdated_claim,
    gl402_stale_support,
    gl501_bibliography_mismatch,
    gl502_ledger_quote,
    gl503_mention_mismatch,
    gl601_missing_section,
    gl602_abstract_length,
    gl603_heading_skip,
    gl604_unreferenced_float,
    gl605_placeholder,
    gl606_key_points,
    gl607_evidence_cutoff,
    gl608_title_page,
]
REGISTRY: dict[str, ModuleType] = {m.CODE: m for m in _MODULES}


def options(config: Config) -> dict[str, object]:
    """The rules' options for a project: each rule's DEFAULT, overridden by the profile table
    and checked against the rule's CONF (a wrong value is an input error at its line)."""
    from ..options import resolve

    return resolve(_MODULES, config.profile, config.pyproject)


def get(code: str) -> ModuleType:
    try:
        return REGISTRY[code.upper()]
    except KeyError:
        raise InputError(None, None, f"no rule with code '{code}'") from None
