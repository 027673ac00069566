"""mediapipe models, created lazily once per process.

Not at import time: a pre-forking server (gunicorn) would otherwise build them in the master and
share TFLite interpreters across forks. mediapipe solution objects are not thread-safe, so each
model is used under its own lock; a new process id (after fork) gets fresh objects.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from .config import DEFAULT_CONFIG


@dataclass
class FaceBox:
    x: float  # pixels in the image given
    y: float
    w: float
    h: float
    score: float
    keypoints: np.ndarray  # 6x2 pixels: right eye, left eye, nose tip, mouth, right ear, left ear


class _Lazy:
    def __init__(self, factory: Callable[[], Any]):
        self._factory = factory
        self._obj: Any = None
        self._pid: int | None = None
        self.lock = threading.Lock()

    def get(self) -> Any:
        # Called with self.lock held.
        if self._obj is None or self._pid != os.getpid():
            self._obj = self._factory()
            self._pid = os.getpid()
        return self._obj


def _make_detector() -> Any:
    # mediapipe is imported only when a model is built, in the worker after the fork (see above).
    from mediapipe.python.solutions import face_detection

    # model_selection=1: the full-range model (faces up to ~5 m), so small faces in loosely framed
    # uploads are still found and counted.
    return face_detection.FaceDetection(model_selection=1, min_detection_confidence=0.5)


def _make_mesh(min_score: float) -> Callable[[], Any]:
    def make() -> Any:
        # mediapipe is imported only when a model is built, in the worker after the fork (see above).
        from mediapipe.python.solutions import face_mesh

        # The mesh finds faces with its own short-range detector (faces within ~2 m), keeping those
        # scoring at least min_score; three, so a second face can be counted.
        return face_mesh.FaceMesh(
            static_image_mode=True, refine_landmarks=True, max_num_faces=3, min_detection_confidence=min_score
        )

    return make


def _make_segmenter() -> Any:
    # mediapipe is imported only when a model is built, in the worker after the fork (see above).
    from mediapipe.python.solutions import selfie_segmentation

    # model 0: the 256x256 "general" model, better on portrait-shaped pictures than the 144x256 one.
    return selfie_segmentation.SelfieSegmentation(model_selection=0)


_setup_pid: int | None = None


def setup_process() -> None:
    """Per-process settings, once per process id (cheap to call at the start of every check).

    A photo check runs in one process per core (gunicorn workers, the task worker), so OpenCV's own
    thread pool only competes with the other process for the same cores: with two processes on two
    cores, one OpenCV thread each checks more portraits per second than OpenCV's default
    (bench/photo_speed.py)."""
    global _setup_pid
    if _setup_pid != os.getpid():
        cv2.setNumThreads(1)
        _setup_pid = os.getpid()


_detector = _Lazy(_make_detector)
_meshes: dict[float, _Lazy] = {}
_meshes_lock = threading.Lock()
_segmenter = _Lazy(_make_segmenter)


def detect_faces(rgb: np.ndarray) -> list[FaceBox]:
    """Faces the full-range model finds, largest first."""
    h, w = rgb.shape[:2]
    with _detector.lock:
        result = _detector.get().process(rgb)
    boxes = []
    for d in result.detections or []:
        bb = d.location_data.relative_bounding_box
        kps = np.array([[k.x * w, k.y * h] for k in d.location_data.relative_keypoints], dtype=np.float32)
        boxes.append(FaceBox(bb.xmin * w, bb.ymin * h, bb.width * w, bb.height * h, float(d.score[0]), kps))
    boxes.sort(key=lambda b: b.w * b.h, reverse=True)
    return boxes


def face_landmarks(rgb: np.ndarray, min_score: float = 0.5) -> list[np.ndarray]:
    """478x3 landmark arrays (x, y in pixels, z in pixels relative to the face), largest face first,
    of the faces the mesh's own detector scores at least ``min_score``."""
    h, w = rgb.shape[:2]
    with _meshes_lock:
        mesh = _meshes.setdefault(min_score, _Lazy(_make_mesh(min_score)))
    with mesh.lock:
        result = mesh.get().process(rgb)
    faces = []
    for lm in result.multi_face_landmarks or []:
        pts = np.array([[p.x * w, p.y * h, p.z * w] for p in lm.landmark], dtype=np.float32)
        faces.append(pts)
    faces.sort(key=lambda p: float(np.ptp(p[:, 0])), reverse=True)
    return faces


def person_mask(rgb: np.ndarray) -> np.ndarray:
    """Person probability, float32 HxW in [0, 1]."""
    with _segmenter.lock:
        result = _segmenter.get().process(rgb)
    m = result.segmentation_mask
    if m is None:
        return np.zeros(rgb.shape[:2], np.float32)
    return np.asarray(m, dtype=np.float32)


def warm_up() -> None:
    """Build the models now (call in each worker after fork, e.g. gunicorn post_fork)."""
    setup_process()
    blank = np.full((64, 64, 3), 255, np.uint8)
    detect_faces(blank)
    face_landmarks(blank)
    face_landmarks(blank, DEFAULT_CONFIG.near_face_min_score)
    person_mask(blank)
