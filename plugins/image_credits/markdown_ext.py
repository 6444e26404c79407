"""Markdown extension: every image in a text becomes a credited, responsive figure.

``![Alt](src "Caption | Foto: Name | Licence")`` turns into::

    <figure class="figure">
      <picture><source type="image/avif" srcset=…>…<img …></picture>
      <figcaption>Caption <span class="credit">Foto: Name</span></figcaption>
    </figure>

It works on Python-Markdown's element tree (not on the HTML afterwards), so
summaries, feeds and pages all get the same markup. The content file being
read comes from :data:`current_source`, which the plugin sets around
Pelican's Markdown reader.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from contextvars import ContextVar

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

#: Path of the content file Pelican's Markdown reader is converting.
current_source: ContextVar[str | None] = ContextVar("current_source", default=None)

CONTENT_SIZES = "(min-width: 48rem) 42rem, 100vw"


def split_title(title: str) -> tuple[str, str, str]:
    """``"Caption | Foto: Name | CC BY 4.0"`` → caption, credit, licence."""
    parts = [part.strip() for part in title.split("|")]
    parts += ["", "", ""]
    return parts[0], parts[1], parts[2]


class FigureTreeprocessor(Treeprocessor):
    def __init__(self, md, extension: FigureExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: ET.Element) -> None:
        source = current_source.get()
        if source is None:
            return  # Markdown converted outside a content file (e.g. a test helper)
        has_hero = bool(getattr(self.md, "Meta", {}).get("image"))
        eager_left = not has_hero
        parents = {child: parent for parent in root.iter() for child in parent}
        for img in list(root.iter("img")):
            figure = self.extension.figure_for(
                source,
                src=img.get("src", ""),
                alt=img.get("alt", ""),
                title=img.get("title", ""),
                attributes=dict(img.attrib),
                eager=eager_left,
            )
            if figure is None:
                # Already reported; a plain address keeps Pelican from also
                # looking for a {static} file that is not there.
                if img.get("src", "").startswith(("{static}", "{attach}")):
                    img.set("src", img.get("src").split("}", 1)[1])
                continue
            element = build_figure(figure)
            eager_left = False
            self._replace(parents, img, element)

    @staticmethod
    def _replace(parents, img: ET.Element, element: ET.Element) -> None:
        parent = parents[img]
        alone = (
            parent.tag == "p"
            and len(parent) == 1
            and not (parent.text or "").strip()
            and not (img.tail or "").strip()
        )
        if alone and parent in parents:
            grand = parents[parent]
            index = list(grand).index(parent)
            element.tail = parent.tail
            grand.remove(parent)
            grand.insert(index, element)
            return
        if parent.tag == "p" and parent in parents:
            # An image inside running text: the figure follows the paragraph.
            grand = parents[parent]
            _remove_keeping_tail(parent, img)
            grand.insert(list(grand).index(parent) + 1, element)
            return
        index = list(parent).index(img)
        element.tail = img.tail
        parent.remove(img)
        parent.insert(index, element)


def _remove_keeping_tail(parent: ET.Element, child: ET.Element) -> None:
    index = list(parent).index(child)
    tail = child.tail or ""
    if index == 0:
        parent.text = (parent.text or "") + tail
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    parent.remove(child)


def build_figure(figure) -> ET.Element:
    """The element tree of a :class:`~image_credits.figures.Figure`."""
    picture_attrs = figure.picture
    wrapper = ET.Element("figure", {"class": "figure"}) if figure.has_caption else None
    picture = ET.Element("picture")
    for attributes in picture_attrs.source_attributes(figure.sizes):
        ET.SubElement(picture, "source", attributes)
    ET.SubElement(
        picture,
        "img",
        picture_attrs.img_attributes(figure.alt, figure.sizes, eager=figure.eager),
    )
    if wrapper is None:
        return picture
    wrapper.append(picture)
    caption = ET.SubElement(wrapper, "figcaption")
    if figure.caption:
        caption.text = figure.caption + (" " if figure.credit else "")
    if figure.credit:
        credit = ET.SubElement(caption, "span", {"class": "credit"})
        credit.text = figure.credit.text
    return wrapper


class FigureExtension(Extension):
    """Registers the treeprocessor; ``figure_for`` is the plugin's callback."""

    def __init__(self, figure_for, **kwargs) -> None:
        self.figure_for = figure_for
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        # Priority 5: after "inline" (20) made the <img> and "attr_list" (8)
        # applied {: …} attributes, before "prettify".
        md.treeprocessors.register(FigureTreeprocessor(md, self), "image_credits", 5)
