from __future__ import annotations

import pytest

from factories.media import mp4
from sparkads.posts.media import MediaError, read_video


def test_duration_and_size_are_read_from_the_file() -> None:
    facts = read_video(mp4(12.5, 720, 1280))
    assert (facts.duration, facts.width, facts.height) == (12.5, 720, 1280)


@pytest.mark.parametrize("content", [b"", b"not a video at all", b"\x00\x00\x00\x08ftyp"])
def test_non_videos_are_refused(content: bytes) -> None:
    with pytest.raises(MediaError):
        read_video(content)
