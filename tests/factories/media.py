"""Minimal but well-formed MP4 files (ftyp + moov/mvhd + trak/tkhd), built byte by byte."""

from __future__ import annotations

import struct


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(duration: float, width: int = 1080, height: int = 1920, timescale: int = 1000) -> bytes:
    mvhd = _box(
        b"mvhd",
        bytes(4) + struct.pack(">IIII", 0, 0, timescale, int(duration * timescale)) + bytes(80),
    )
    tkhd = _box(b"tkhd", bytes(4) + bytes(72) + struct.pack(">II", width << 16, height << 16))
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd))
    return _box(b"ftyp", b"isom" + bytes(4) + b"isommp42") + moov + _box(b"mdat", bytes(64))
