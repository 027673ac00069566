"""gunicorn settings for ``sscard serve`` (loaded with ``--config python:sscard.gunicorn_conf``).

The photo-check models (mediapipe) must be built after the fork, in each worker; building them
takes about two seconds, which the first citizen to upload a photo in that worker would otherwise
wait for. So each worker builds them in the background as soon as it starts; a check that
arrives meanwhile waits for the model it needs (each model has its own lock).
"""

from __future__ import annotations

import threading


def post_fork(server, worker) -> None:
    # Imported in the worker, after the fork: the master never loads numpy, OpenCV or mediapipe.
    from sscard.photos import idcard_reading, models

    threading.Thread(target=models.warm_up, name="photo-models", daemon=True).start()
    # The ID card OCR engine (SSCARD_ID_OCR) likewise, in its own thread: it has its own lock.
    threading.Thread(target=idcard_reading.warm_up, name="id-ocr", daemon=True).start()
