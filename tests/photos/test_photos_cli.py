"""`sscard check-photo` and `sscard card-photo`, called as functions and as a module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sscard.photos.cli import card_photo_main, check_photo_main


def test_check_photo_json_and_exit_codes(tmp_path: Path, capsys, compliant_portrait):
    good = tmp_path / "good.jpg"
    good.write_bytes(compliant_portrait.data)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not a photo at all")
    assert check_photo_main(["--kind", "portrait", "--json", str(good)]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert line["file"] == str(good) and line["ok"] is True and line["problems"] == []
    assert "metrics" in line

    assert check_photo_main(["--json", str(good), str(junk)]) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert [x["ok"] for x in lines] == [True, False]
    assert lines[1]["problems"][0]["code"] == "not_an_image"
    assert set(lines[1]["problems"][0]) == {"code", "message"}

    assert check_photo_main(["--json", str(tmp_path / "missing.jpg")]) == 2


def test_card_photo_command(tmp_path: Path, compliant_portrait):
    src, out = tmp_path / "in.jpg", tmp_path / "out.jpg"
    src.write_bytes(compliant_portrait.data)
    assert card_photo_main([str(src), str(out)]) == 0
    assert 14 * 1024 <= out.stat().st_size <= 40 * 1024
    assert card_photo_main([str(tmp_path / "nope.jpg"), str(out)]) == 2


def test_module_entry_point(tmp_path: Path):
    junk = tmp_path / "x.png"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src)}
    r = subprocess.run([sys.executable, "-m", "sscard.photos.cli", "check-photo", "--json", str(junk)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 1, r.stderr[-1000:]
    assert json.loads(r.stdout)["problems"][0]["code"] == "corrupt_image"
