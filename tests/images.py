"""Real image files for tests and benchmarks, made with Pillow.

Photos carry what cameras and agencies put into them: EXIF (camera, GPS,
Artist, Copyright) and IPTC credits (written with ``image_credits.iptc``,
since Pillow cannot write IPTC).
"""

from __future__ import annotations

import io
import struct
import zlib

from image_credits.iptc import add_iptc
from PIL import Image, ImageDraw

EXIF_MAKE = 0x010F
EXIF_MODEL = 0x0110
EXIF_ARTIST = 0x013B
EXIF_COPYRIGHT = 0x8298
GPS_IFD = 0x8825


def photo(
    width: int = 1200,
    height: int = 800,
    *,
    color: str = "steelblue",
    artist: str = "",
    copyright: str = "",
    by_line: str = "",
    credit: str = "",
    copyright_notice: str = "",
    gps: bool = True,
    quality: int = 85,
) -> bytes:
    """A JPEG with some structure, camera data, GPS and the given credits."""
    image = Image.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(image)
    for step in range(0, width, max(1, width // 12)):
        draw.rectangle([step, height // 3, step + width // 24, height], fill="white")
    draw.ellipse([width // 4, height // 8, width // 2, height // 2], fill="orange")
    exif = Image.Exif()
    exif[EXIF_MAKE] = "Canon"
    exif[EXIF_MODEL] = "EOS R6"
    # UTF-8 bytes, as cameras and photo tools write them (a str would become ASCII).
    if artist:
        exif[EXIF_ARTIST] = artist.encode()
    if copyright:
        exif[EXIF_COPYRIGHT] = copyright.encode()
    if gps:
        position = exif.get_ifd(GPS_IFD)
        position[1] = "N"
        position[2] = (52.0, 22.0, 30.5)
        position[3] = "E"
        position[4] = (9.0, 44.0, 12.25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    data = buffer.getvalue()
    if by_line or credit or copyright_notice:
        data = add_iptc(data, by_line or None, credit or None, copyright_notice or None)
    return data


def logo(width: int = 400, height: int = 200, color: str = "darkgreen") -> bytes:
    """A PNG logo with transparency."""
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([10, 10, width - 10, height - 10], radius=30, fill=color)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png(side: int = 30000) -> bytes:
    """A valid 1-bit PNG of ``side``×``side`` pixels that is ~100 kB on disk.

    Decoding it would need ``side``² bytes once converted (900 MB for 30000):
    the classic decompression bomb. Written by hand to stay small.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data)
        + chunk(b"IEND", b"")
    )
