"""``sscard check-id NUMBER...``: one JSON object per line; exit 0 when all are valid, 1 otherwise."""

from __future__ import annotations

import argparse
import json
import sys

from sscard.identity.idnumber import check_id_number


def check_id_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="sscard check-id", description="检查证件号码")
    parser.add_argument("numbers", nargs="+", metavar="NUMBER")
    args = parser.parse_args(argv)
    all_valid = True
    for raw in args.numbers:
        result = check_id_number(raw).as_dict()
        result.pop("age")
        all_valid &= result["valid"]
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0 if all_valid else 1
