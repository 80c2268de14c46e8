"""A forgiving HTML tree for importers that read captured or exported pages.

Built on the standard library's tokenizer: nothing is fetched, scripts are never run, and what
browsers forgive (unclosed and stray tags) is forgiven here too. Importers walk the tree and ask
for visible text; they never see raw markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
HIDDEN = {"script", "style", "noscript", "template", "head", "svg"}
BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer",
         "section", "article", "blockquote", "pre", "table", "ul", "ol"}


@dataclass
class Node:
    """One element: its tag, attributes and children (elements or text)."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @cached_property
    def classes(self) -> frozenset[str]:
        return frozenset(self.attrs.get("class", "").split())

    def walk(self) -> Iterator[Node]:
        """This element and every element below it, in document order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(child for child in reversed(node.children) if isinstance(child, Node))

    def find_all(self, test: Callable[[Node], bool]) -> list[Node]:
        return [node for node in self.walk() if test(node)]

    def find(self, test: Callable[[Node], bool]) -> Node | None:
        return next((node for node in self.walk() if test(node)), None)

    def text(self, skip: Callable[[Node], bool] | None = None) -> str:
        """Visible text: line breaks at block elements, runs of blanks squeezed."""
        parts: list[str] = []
        self._collect(parts, skip)
        lines = ("".join(parts)).split("\n")
        cleaned = [" ".join(line.split()) for line in lines]
        return "\n".join(line for line in cleaned if line).strip()

    def _collect(self, parts: list[str], skip: Callable[[Node], bool] | None) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in HIDDEN or (skip and skip(child)):
                continue
            elif child.tag == "br":
                parts.append("\n")
            else:
                block = child.tag in BLOCK
                if block:
                    parts.append("\n")
                child._collect(parts, skip)
                if block:
                    parts.append("\n")


def has_class(*names: str) -> Callable[[Node], bool]:
    wanted = set(names)
    return lambda node: bool(node.classes & wanted)


class _TreeBuilder(HTMLParser):
    """Builds a `Node` tree and forgives what browsers forgive (unclosed and stray tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        if tag == "p" and self.stack[-1].tag == "p":
            self.stack.pop()
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root
