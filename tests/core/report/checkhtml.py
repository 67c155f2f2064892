#!/usr/bin/env python3
"""Reads an HTML report with Python's HTML tokenizer (html.parser, as a browser splits tags)
and prints {"tags": {tag: count}, "cells": [text of each td, in order]} as JSON. Exits 1 when
the page holds anything a report must not: a tag outside the report's own set (so no script,
iframe, link or object, whatever the data said), an event-handler attribute, or an attribute
that points outside the file."""

import json
import sys
from html.parser import HTMLParser

ALLOWED = {
    "html", "head", "meta", "title", "style", "body", "header", "footer", "section", "h1", "h2",
    "h3", "p", "i", "b", "ul", "li", "table", "thead", "tbody", "tr", "th", "td", "br", "bdi", "span",
    "figure", "svg", "g", "rect", "text", "path", "polygon", "line", "img",
}
LINKING = {"href", "src", "xlink:href", "action", "formaction", "background"}


class Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = {}
        self.cells = []
        self.cell = None
        self.problems = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag not in ALLOWED:
            self.problems.append(f"tag <{tag}> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in LINKING and value and (":" in value or value.startswith("//")):
                self.problems.append(f"{name}={value!r} on <{tag}> points outside the file")
        if tag == "td":
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.cells.append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    reader = Reader()
    reader.feed(text)
    reader.close()
    if reader.problems:
        sys.stderr.write("\n".join(reader.problems) + "\n")
        sys.exit(1)
    json.dump({"tags": reader.tags, "cells": reader.cells}, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main(sys.argv[1])
