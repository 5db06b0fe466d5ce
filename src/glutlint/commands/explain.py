"""`glutlint explain CODE`: print a rule's documentation (its module docstring)."""

from __future__ import annotations

import argparse


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="?", help="a rule code such as GL201; omit to list all rules")


def run(args: argparse.Namespace) -> int:
    from ..rules import REGISTRY, get

    if not args.code:
        for code, rule in REGISTRY.items():
            summary = (rule.__doc__ or "").splitlines()[0].split(": ", 1)[-1]
            print(f"{code}  {rule.NAME:<28} {rule.SEVERITY:<8} {summary}")
        return 0
    rule = get(args.code)
    print(f"{rule.CODE} ({rule.NAME}, {rule.SEVERITY})\n")
    print((rule.__doc__ or "").strip())
    return 0
