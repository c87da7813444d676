"""Test support: a generated HTML page as the elements it holds and the text a person reads
(html.parser only), and one of its SVG charts."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """The elements (tag, attributes, text inside) and the text a person reads."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements, self._open, self.text = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, **dict(attrs), "text": ""}
        self.elements.append(element)
        if tag != "meta":  # the page's one void element
            self._open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, **dict(attrs), "text": ""})

    def handle_endtag(self, tag):
        while self._open and self._open.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)
        for element in self._open:
            element["text"] += data

    def find(self, tag: str, cls: str = "") -> list[dict]:
        return [e for e in self.elements if e["tag"] == tag and cls in e.get("class", "").split(" ") + [""]]


def chart(html: str, cls: str) -> Page:
    """The SVG chart of class `cls` in `html`."""
    start = html.index(f'<svg class="chart {cls}"')
    return Page(html[start:html.index("</svg>", start)])
