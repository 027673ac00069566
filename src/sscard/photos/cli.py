"""Command-line entry points, wired by the project CLI as ``sscard check-photo`` and
``sscard card-photo``; also ``python -m sscard.photos.cli check-photo ...``.

Exit codes: 0 every file passes, 1 at least one fails its check, 2 a file cannot be read at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sscard.photos import CardPhotoError, check_id_card, check_portrait, make_card_photo

KINDS = ("portrait", "id-front", "id-back")


def _check(kind: str, data: bytes):
    if kind == "portrait":
        return check_portrait(data)
    return check_id_card(data, kind.removeprefix("id-"))


def check_photo_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="sscard check-photo", description="Check portrait or ID card photos.")
    ap.add_argument("--kind", choices=KINDS, default="portrait")
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument("files", nargs="+", type=Path, metavar="FILE")
    args = ap.parse_args(argv)
    worst = 0
    for path in args.files:
        try:
            data = path.read_bytes()
        except OSError as e:
            print(f"{path}: cannot read: {e.strerror or e}", file=sys.stderr)
            worst = 2
            continue
        report = _check(args.kind, data)
        if not report.ok:
            worst = max(worst, 1)
        if args.json:
            out = {
                "file": str(path),
                "ok": report.ok,
                "problems": [{"code": p.code, "message": p.message} for p in report.problems],
                "metrics": report.metrics,
            }
            print(json.dumps(out, ensure_ascii=False))
        else:
            verdict = "OK" if report.ok else "FAIL"
            print(f"{path}: {verdict} ({report.timings.get('total', 0):.0f} ms)")
            for p in report.problems:
                print(f"  [{p.code}] {p.message} {p.tip}")
    return worst


def card_photo_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="sscard card-photo", description="Make the 358x441 card production photo.")
    ap.add_argument("input", type=Path, metavar="IN")
    ap.add_argument("output", type=Path, metavar="OUT")
    ap.add_argument("--no-check", action="store_true", help="skip the portrait check (staff override)")
    args = ap.parse_args(argv)
    try:
        data = args.input.read_bytes()
    except OSError as e:
        print(f"{args.input}: cannot read: {e.strerror or e}", file=sys.stderr)
        return 2
    try:
        photo = make_card_photo(data, check=not args.no_check)
    except CardPhotoError as e:
        print(f"{args.input}: {e.reason}", file=sys.stderr)
        for p in e.problems:
            print(f"  [{p.code}] {p.message} {p.tip}", file=sys.stderr)
        return 1
    args.output.write_bytes(photo)
    print(f"{args.output}: {len(photo)} bytes")
    return 0


COMMANDS = {"check-photo": check_photo_main, "card-photo": card_photo_main}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m sscard.photos.cli {{{','.join(COMMANDS)}}} ...", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
