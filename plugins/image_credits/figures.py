"""A figure as both renderers (Markdown extension, theme macros) see it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from markupsafe import Markup

from .credits import Credit
from .pipeline import Picture, SourceImage


@dataclass
class Figure:
    """One use of an image: the picture plus what is said about it there."""

    source: SourceImage
    picture: Picture
    alt: str
    caption: str = ""
    credit: Credit | None = None
    exempt: bool = False  # a logo: no credit needed, no caption box
    eager: bool = False
    sizes: str = "100vw"

    @property
    def has_caption(self) -> bool:
        return bool(self.caption or self.credit)

    def json_ld(self, siteurl: str = "") -> Markup:
        """schema.org ImageObject (Google's image licence fields), script-safe."""
        largest = self.source.largest()
        data: dict = {
            "@context": "https://schema.org",
            "@type": "ImageObject",
            "contentUrl": siteurl.rstrip("/") + largest.url,
            "width": largest.width,
            "height": largest.height,
        }
        if self.caption:
            data["caption"] = self.caption
        if self.credit:
            data["creditText"] = self.credit.text
            if self.credit.creator:
                data["creator"] = {"@type": "Person", "name": self.credit.creator}
            notice = self.credit.copyright or (
                f"© {self.credit.creator}" if self.credit.creator else ""
            )
            if notice:
                data["copyrightNotice"] = notice
            if self.credit.source_url:
                data["acquireLicensePage"] = self.credit.source_url
        text = json.dumps(data, ensure_ascii=False, indent=2)
        # "</script>" or "<!--" inside a caption must not end the block.
        text = (
            text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        )
        return Markup(text)
