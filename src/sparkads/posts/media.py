"""Read duration and frame size from an MP4/MOV file (pure): walk the ISO-BMFF boxes to `mvhd`
(timescale, duration) and the first video `tkhd` (width, height). Enough for uploaded ad videos
without a native media library."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from sparkads.i18n import N_, LocalText

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"udta"}


@dataclass(frozen=True)
class VideoFacts:
    duration: float
    width: int
    height: int


class MediaError(ValueError):
    """Why the bytes are not a readable video, as a catalogue text (`text`)."""

    def __init__(self, text: LocalText) -> None:
        super().__init__(str(text))
        self.text = text


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    found, offset = [], start
    while offset + 8 <= end:
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        header = 8
        if size == 1:
            if offset + 16 > end:
                break
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            break
        found.append((kind, offset + header, offset + size))
        offset += size
    return found


def _walk(data: bytes, start: int, end: int, facts: dict[str, float]) -> None:
    for kind, body, stop in _boxes(data, start, end):
        if kind in _CONTAINERS:
            _walk(data, body, stop, facts)
        elif kind == b"mvhd":
            version = data[body]
            if version == 1:
                timescale, duration = struct.unpack(">IQ", data[body + 20 : body + 32])
            else:
                timescale, duration = struct.unpack(">II", data[body + 12 : body + 20])
            if timescale:
                facts["duration"] = duration / timescale
        elif kind == b"tkhd" and "width" not in facts:
            tail = data[stop - 8 : stop]
            width, height = (v >> 16 for v in struct.unpack(">II", tail))
            if width and height:
                facts["width"], facts["height"] = width, height


def read_video(data: bytes) -> VideoFacts:
    if len(data) < 16 or data[4:8] not in (b"ftyp", b"moov", b"mdat", b"free", b"wide"):
        raise MediaError(LocalText(N_("no MP4/MOV header")))
    facts: dict[str, float] = {}
    _walk(data, 0, len(data), facts)
    if "duration" not in facts or facts["duration"] <= 0:
        raise MediaError(LocalText(N_("no readable duration (missing mvhd box)")))
    return VideoFacts(
        duration=round(facts["duration"], 3),
        width=int(facts.get("width", 0)),
        height=int(facts.get("height", 0)),
    )
