"""Speed of the portrait check against a plain full-size Pillow decode of the same file.

    .venv/bin/python bench/photo_speed.py [--seconds 10]

For a 12-megapixel (3000x4000) and a 2-megapixel (1224x1632) phone JPEG made in code, prints the
median time of a whole check_portrait() divided by the median time of Image.open(...).load() of the
same bytes, both measured in this run, in alternating blocks (see ``alternating_medians``), with the
same ratio in CPU time beside it; then portraits per second with one process per core, and
each process's peak resident memory. Targets (issue): ratio <= 1.0 at 12 MP, >= 30 portraits/s on
2 cores, <= 400 MB per process.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: the evaluation set is test support

import cv2
import numpy as np
from PIL import Image

from sscard.photos import check_portrait

TARGET_RATIO = 1.0
TARGET_RATE = 30.0
TARGET_MB = 400.0


def phone_jpeg(width: int, height: int, seed: int = 0) -> bytes:
    """A compliant portrait composite, enlarged to phone size, with sensor noise, JPEG q92."""
    # Imported here, in the parent only: each spawned worker reports its peak memory, which should be
    # what a server worker holds, not the evaluation-set generator's (skimage, drawing code).
    from skimage import data

    from tests.support import photo_evalset as evalset

    rng = np.random.default_rng(seed)
    available, _ = evalset.photos_available()
    name = evalset.COMPLIANT_SOURCES[0] if available else None
    if name:
        src = evalset.source(name)
        img = evalset.crop(evalset.composite(src, rng), src, evalset.Framing(face_ratio=0.5, top_margin=0.08))
    else:  # no shared photos: the skimage astronaut on her own background
        img = data.astronaut()[:, 64:448].astype(np.float32)
    img = cv2.resize(img, (width, height), interpolation=cv2.INTER_CUBIC)
    img = img + rng.standard_normal(img.shape, dtype=np.float32) * 2.0
    buf = io.BytesIO()
    Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(buf, "JPEG", quality=92)
    return buf.getvalue()


def alternating_medians(fns, n: int, blocks: int = 6) -> list[tuple[float, float]]:
    """Median wall-clock and CPU seconds of each of ``fns``, timed in alternating blocks (``blocks`` of
    ``n // blocks`` calls each, one untimed call first): a shared machine's speed drifts over seconds,
    and blocks taken in turn see the same drift, where all of one and then all of the other would not.
    A block keeps each warm, as a server is (calls taken one by one in turn would time each right after
    the other has flushed the caches). CPU time counts every thread of the process (the models' too)."""
    per = max(1, n // blocks)
    wall, cpu = [[] for _ in fns], [[] for _ in fns]
    for _ in range(blocks):
        for i, fn in enumerate(fns):
            fn()
            for _ in range(per):
                t, c = time.perf_counter(), time.process_time()
                fn()
                wall[i].append(time.perf_counter() - t)
                cpu[i].append(time.process_time() - c)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]


def full_decode(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as im:
        im.load()


def _worker(args):
    data, seconds = args
    check_portrait(data)  # build the models in this process
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        rep = check_portrait(data)
        assert rep.ok, rep.codes
        n += 1
    elapsed = time.perf_counter() - t0
    return n, elapsed, peak_rss_mb(), time.process_time() - c0


def cpu_ticks() -> tuple[int, int]:
    """(steal, total) jiffies of the whole machine from /proc/stat (0, 0 where there is none).
    Steal is time the hypervisor gave our virtual cores to someone else."""
    try:
        with open("/proc/stat") as f:
            vals = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    return (vals[7] if len(vals) > 7 else 0), sum(vals[:8])


def _noop(_):
    return None


def peak_rss_mb() -> float:
    """This process's own peak resident memory. VmHWM rather than ru_maxrss: Linux carries
    ru_maxrss over exec, so a worker would report its parent's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8.0, help="throughput run per size")
    ap.add_argument("--repeat", type=int, default=30, help="timings per median")
    args = ap.parse_args(argv)
    ok = True
    files = {"12 MP (3000x4000)": phone_jpeg(3000, 4000), "2 MP (1224x1632)": phone_jpeg(1224, 1632)}
    ratio_target = {"12 MP (3000x4000)"}  # the ratio target is for the 12 MP file only
    print(f"cores: {os.cpu_count()}  load average: {os.getloadavg()[0]:.2f}")
    for label, data in files.items():
        rep = check_portrait(data)  # warm the models, and the file must pass
        if not rep.ok:
            print(f"{label}: generated portrait does not pass: {rep.codes}")
            return 1
        (t_decode, c_decode), (t_check, c_check) = alternating_medians(
            [lambda d=data: full_decode(d), lambda d=data: check_portrait(d)], args.repeat)
        stages = check_portrait(data).timings
        ratio = t_check / t_decode
        print(f"\n{label}: {len(data) / 1e6:.2f} MB")
        print(f"  full-size Pillow decode   {t_decode * 1000:7.1f} ms   (CPU {c_decode * 1000:5.1f})")
        print(f"  whole portrait check      {t_check * 1000:7.1f} ms   (CPU {c_check * 1000:5.1f})   stages: "
              + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()))
        print(f"  ratio check / decode      {ratio:7.2f}   (CPU time {c_check / c_decode:.2f})"
              + ("   (target <= 1.0)" if label in ratio_target else ""))
        if label in ratio_target and ratio > TARGET_RATIO:
            ok = False

    ctx = mp.get_context("spawn")  # fresh processes: models are built after the fork, as in a server
    procs = os.cpu_count() or 2
    for label, data in files.items():
        with ctx.Pool(procs) as pool:
            pool.map(_noop, range(procs))  # processes up before the clock starts
            s0, t0 = cpu_ticks()
            results = pool.map(_worker, [(data, args.seconds)] * procs)
            s1, t1 = cpu_ticks()
        rate = sum(n / el for n, el, _, _ in results)
        cpu_rate = sum(n / cpu for n, _, _, cpu in results if cpu > 0)
        peak = max(mb for _, _, mb, _ in results)
        steal = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
        print(f"\n{label}: {procs} processes  {rate:6.1f} portraits/s   peak RSS per process {peak:6.0f} MB")
        # When the virtual machine's cores are shared, wall-clock throughput measures the neighbours
        # too: the CPU time our processes got, and the share the hypervisor took, say how much.
        print(f"  per CPU-second of each process: {cpu_rate:6.1f} portraits/s;  steal {steal:.0%} of the machine's time")
        if rate < TARGET_RATE or peak > TARGET_MB:
            ok = False
    ok = id_card_with_ocr(max(5, args.repeat // 2)) and ok
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED (see above; the machine's load average is printed)")
    return 0 if ok else 1


TARGET_ID_OCR_MS = 300.0


def id_card_with_ocr(repeat: int) -> bool:
    """The ID card check with OCR (issue #12), 12 MP, one core: wall and CPU time, and what OCR adds.
    The card is the demo's drawing with Chinese text (needs a CJK font), photographed at 4000x3000."""
    from sscard.demo.idcard_drawing import draw_back, draw_front
    from sscard.photos import check_id_card
    from sscard.photos.idcard_reading import RapidOCRReader
    from tests.support.idcard_photos import HAVE_CJK_FONT, card_face, photographed

    if not HAVE_CJK_FONT:
        print("\nID card check with OCR: skipped, no CJK font to draw the card's words")
        return True
    reader = RapidOCRReader()
    number = "44200019900307123X"
    cards = {
        "front": photographed(draw_front("张三丰", number, "广东省中山市石岐区民生路1号", card_face()), size=(4000, 3000)),
        "back": photographed(draw_back(valid="2020.06.01-2040.06.01"), size=(4000, 3000)),
    }
    ok = True
    print(f"\nID card check with OCR, 12 MP (4000x3000), one core  (load average {os.getloadavg()[0]:.2f})")
    for side, data in cards.items():
        rep = check_id_card(data, side, reader=reader)  # builds the engine; the drawn card must pass and be read
        if not rep.ok or not rep.reading.read_anything:
            print(f"  {side}: generated card does not pass or is not read: {rep.codes}")
            return False
        timed = {}
        for label, engine in (("without OCR", None), ("with OCR", reader)):
            wall, cpu = [], []
            for _ in range(repeat):
                t, c = time.perf_counter(), time.process_time()
                check_id_card(data, side, reader=engine)
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            timed[label] = (statistics.median(wall) * 1000, statistics.median(cpu) * 1000)
        stages = check_id_card(data, side, reader=reader).timings
        (w0, c0), (w1, c1) = timed["without OCR"], timed["with OCR"]
        print(f"  {side:5s} without OCR {w0:6.0f} ms (CPU {c0:4.0f})   with OCR {w1:6.0f} ms (CPU {c1:4.0f})   "
              f"added {w1 - w0:+5.0f} ms (CPU {c1 - c0:+4.0f})   (target <= {TARGET_ID_OCR_MS:.0f} ms)   stages: "
              + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()))
        if c1 > TARGET_ID_OCR_MS:  # CPU time: one core's work, whatever the neighbours are doing
            ok = False
    return ok


if __name__ == "__main__":
    sys.exit(main())
