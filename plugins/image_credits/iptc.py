"""IPTC credits in JPEG files: write them (Pillow cannot) and read them back.

Photo agencies and cameras put the photographer into the IPTC-IIM record
(By-line 2:80, Credit 2:110, Copyright Notice 2:116), stored in a Photoshop
"8BIM" resource (id 0x0404) inside a JPEG APP13 segment. Pillow parses that
segment when reading but has no writer, so the demo images, the tests and the
benchmark build the bytes here, in one place.
"""

from __future__ import annotations

import struct

BY_LINE = (2, 80)
CREDIT = (2, 110)
COPYRIGHT_NOTICE = (2, 116)
_CODED_CHARACTER_SET = (1, 90)
_UTF8 = b"\x1b%G"  # ISO 2022 escape sequence meaning "UTF-8"
_RECORD_VERSION = (2, 0)


def _dataset(record: int, number: int, value: bytes) -> bytes:
    if len(value) >= 0x8000:
        raise ValueError("IPTC values longer than 32767 bytes are not supported")
    return struct.pack(">BBBH", 0x1C, record, number, len(value)) + value


def iptc_record(
    by_line: str | None = None,
    credit: str | None = None,
    copyright_notice: str | None = None,
) -> bytes:
    """IPTC-IIM datasets (UTF-8) for the given credit fields."""
    data = _dataset(*_CODED_CHARACTER_SET, _UTF8)
    data += _dataset(*_RECORD_VERSION, b"\x00\x04")
    for key, value in (
        (BY_LINE, by_line),
        (CREDIT, credit),
        (COPYRIGHT_NOTICE, copyright_notice),
    ):
        if value:
            data += _dataset(*key, value.encode("utf-8"))
    return data


def app13_segment(iptc: bytes) -> bytes:
    """A complete JPEG APP13 segment holding ``iptc`` as Photoshop resource 0x0404."""
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"
    resource += struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def add_iptc(
    jpeg: bytes,
    by_line: str | None = None,
    credit: str | None = None,
    copyright_notice: str | None = None,
) -> bytes:
    """``jpeg`` with an IPTC APP13 segment inserted after its APP0/APP1 headers."""
    if jpeg[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG file")
    position = 2
    while jpeg[position] == 0xFF and jpeg[position + 1] in (0xE0, 0xE1):
        (length,) = struct.unpack(">H", jpeg[position + 2 : position + 4])
        position += 2 + length
    segment = app13_segment(iptc_record(by_line, credit, copyright_notice))
    return jpeg[:position] + segment + jpeg[position:]


def _text(value: bytes | list[bytes] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = b", ".join(value)
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        return value.decode("latin-1").strip()


def read_iptc(image) -> dict[str, str]:
    """``by_line``, ``credit`` and ``copyright_notice`` of an opened Pillow image."""
    from PIL import IptcImagePlugin

    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (OSError, SyntaxError, ValueError, IndexError):
        info = {}
    return {
        "by_line": _text(info.get(BY_LINE)),
        "credit": _text(info.get(CREDIT)),
        "copyright_notice": _text(info.get(COPYRIGHT_NOTICE)),
    }
