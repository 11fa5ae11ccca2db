"""Every kind of hostile or unlucky card file found so far, built in a folder on demand.

Each kind is made for real (sparse files, FIFOs, broken links, odd file names) in a temporary
folder, so nothing dangerous is committed. ``docs/reliability.md`` counts these kinds; a new one
found in the wild goes here, with the error it must produce.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.text import shown_safely

GOOD = 'title: "{title}"\nyear: 2020\ncast:\n  - actor: Test Actor\n'
HUGE = "9" * 5000  # Python refuses int("9" * 5000): over the 4300-digit limit


def _text(body: str) -> Callable[[Path], None]:
    return lambda path: path.write_text(body, "utf-8")


def _bytes(body: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(body)


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return make


def _symlink(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _link_out(path: Path) -> None:
    """A link to a file beside the cards folder that holds lines of another kind of file."""
    secret = path.parent.parent / f"outside-{path.stem}"
    secret.write_text("root:*:20228:0:99999:7:::\nalice:$6$s$HASH:20228:0:99999:7:::\n", "utf-8")
    path.symlink_to(secret)


def _billion_laughs(path: Path) -> None:
    """Nine levels of nine aliases each: 9**9 "lol"s if anything ever expanded them."""
    levels = ['&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        name, prev = chr(ord("a") + level), chr(ord("a") + level - 1)
        levels.append(f"&{name} [{','.join(['*' + prev] * 9)}]")
    path.write_text(
        "title: X\nyear: 2020\ncast: [{actor: A}]\naliases: [&z lol, *z]\n"
        f"similar: [{', '.join(levels)}]\n",
        "utf-8",
    )


@dataclass(frozen=True)
class Hostile:
    kind: str  # what it is, for test ids and the docs
    name: str  # the file's name in the cards folder (str, or bytes for names that are not UTF-8)
    make: Callable[[Path], None]
    expected: str  # "key: message" the error for this file must contain

    def path(self, folder: Path) -> Path:
        name = os.fsdecode(self.name) if isinstance(self.name, bytes) else self.name
        return folder / name

    def shown(self, folder: Path) -> str:
        """How an error about this file starts: its path, printed safely."""
        return shown_safely(str(self.path(folder))) + ":"


HOSTILE: tuple[Hostile, ...] = (
    Hostile("billion laughs", "laughs.yaml", _billion_laughs, "YAML anchors and aliases"),
    Hostile(
        "merge key",
        "merge.yaml",
        _text("title: X\nyear: 2020\ncast: [{actor: A}]\nreview: {<<: {source: a}}\n"),
        "YAML merge keys",
    ),
    Hostile(
        "python tag",
        "tagged.yaml",
        _text('title: !!python/object/apply:os.system ["echo hi"]\nyear: 2020\ncast: []\n'),
        "title: YAML tags such as",
    ),
    Hostile(
        "custom tag", "custom.yaml", _text("title: !secret X\nyear: 2020\n"), "YAML tags such as"
    ),
    Hostile(
        "deep nesting",
        "deep.yaml",
        _text("title: " + "[" * 50_000 + "]" * 50_000 + "\n"),
        "yaml: not valid YAML",
    ),
    Hostile(
        "NUL byte",
        "nul.yaml",
        _text('title: "a\x00b"\nyear: 2020\n'),
        "yaml: not valid YAML: character #x0000",
    ),
    Hostile("binary", "binary.yaml", _bytes(bytes(range(256)) * 4), "file: is not UTF-8 text"),
    Hostile("1 TB sparse file", "sparse.yaml", _sparse(1 << 40), "file: is 1099511627776 bytes"),
    Hostile(
        "file over 256 KiB",
        "big.yaml",
        _text("title: X\n" + "#" * 300_000 + "\n"),
        "file: is 300010 bytes",
    ),
    Hostile("empty file", "empty.yaml", _text(""), "title: the file is empty"),
    Hostile(
        "two documents",
        "two.yaml",
        _text(GOOD.format(title="A") + "---\n" + GOOD.format(title="B")),
        "yaml: one card per file",
    ),
    Hostile("a list, not a mapping", "list.yaml", _text("- a\n- b\n"), "card: expected a mapping"),
    Hostile(
        "complex key",
        "complex.yaml",
        _text("? [a, b]\n: c\ntitle: X\n"),
        "unknown key",
    ),
    Hostile(
        "huge integer year",
        "huge-year.yaml",
        _text(f"title: X\nyear: {HUGE}\ncast: [{{actor: A}}]\n"),
        "year: is a 5000-digit number",
    ),
    Hostile(
        "huge integer score",
        "huge-score.yaml",
        _text(f"title: X\nyear: 2020\ncast: [{{actor: A}}]\nratings: {{overall: {HUGE}}}\n"),
        "ratings.overall: is a 5000-digit number",
    ),
    Hostile(
        "huge integer, nested",
        "huge-votes.yaml",
        _text(
            "title: X\nyear: 2020\ncast: [{actor: A}]\n"
            f"community_rating: {{score: 7, votes: {HUGE}}}\n"
        ),
        "community_rating.votes: is a 5000-digit number",
    ),
    Hostile(
        "huge hexadecimal",
        "huge-hex.yaml",
        _text(f"title: X\nyear: 0x{'f' * 5000}\ncast: [{{actor: A}}]\n"),
        "year: is a 5000-digit number",
    ),
    Hostile(
        "NaN score",
        "nan.yaml",
        _text("title: X\nyear: 2020\ncast: [{actor: A}]\nratings: {overall: .nan}\n"),
        "ratings.overall: must be a finite number",
    ),
    Hostile(
        "null scale beside a score (found by hypothesis)",
        "null-scale.yaml",
        _text("title: X\nyear: 2020\ncast: [{actor: A}]\nratings: {scale: null, overall: 0}\n"),
        "ratings.scale: expected a whole number, got nothing (null)",
    ),
    Hostile(
        "C1 control character",
        "c1.yaml",
        _text('title: "Run\\x9b On"\nyear: 2020\ncast: [{actor: A}]\n'),
        "title: contains a control character (U+009B)",
    ),
    Hostile(
        "DEL",
        "del.yaml",
        _text('title: X\nyear: 2020\ncast: [{actor: "A\\x7f"}]\n'),
        "cast[0].actor: contains a control character (U+007F)",
    ),
    Hostile(
        "bidirectional override",
        "bidi.yaml",
        _text('title: X\nyear: 2020\ncast: [{actor: A}]\nreview: {summary: "ab\u202ecd"}\n'),
        "review.summary: contains a bidirectional control character (U+202E)",
    ),
    Hostile(
        "bidirectional isolate",
        "isolate.yaml",
        _text('title: X\nyear: 2020\ncast: [{actor: A}]\naliases: ["\\u2066x"]\n'),
        "aliases[0]: contains a bidirectional control character (U+2066)",
    ),
    Hostile(
        "invisible-only text",
        "invisible.yaml",
        _text('title: "\\u200b\\u200d\\u3164"\nyear: 2020\ncast: [{actor: A}]\n'),
        "title: has no visible characters",
    ),
    Hostile(
        "lone surrogate",
        "surrogate.yaml",
        _text('title: "a\\ud800b"\nyear: 2020\ncast: [{actor: A}]\n'),
        "yaml: not valid YAML: found invalid Unicode character escape code",
    ),
    Hostile("a folder named *.yaml", "folder.yaml", lambda p: p.mkdir(), "file: is a folder"),
    Hostile("FIFO", "fifo.yaml", lambda p: os.mkfifo(p), "file: is not a regular file"),
    Hostile(
        "link to a device",
        "zero.yaml",
        _symlink("/dev/zero"),
        "file: is a link to a file outside the cards folder",
    ),
    Hostile(
        "link to a file outside the folder",
        "outside.yaml",
        _link_out,
        "file: is a link to a file outside the cards folder",
    ),
    Hostile("broken symlink", "broken.yaml", _symlink("nowhere.yaml"), "file: cannot be read"),
    Hostile("symlink loop", "loop.yaml", _symlink("loop.yaml"), "file: cannot be read"),
    Hostile(
        "file name that is not UTF-8",
        b"caf\xe9.yaml",
        _text(GOOD.format(title="Cafe")),
        "slug: file name",
    ),
    Hostile(
        "file name with a line break",
        "two\nlines.yaml",
        _text(GOOD.format(title="Two Lines")),
        "slug: file name",
    ),
    Hostile(".yml", "old.yml", _text(GOOD.format(title="Old")), "file: is not loaded"),
    Hostile(
        "upper-case .YAML", "Loud.YAML", _text(GOOD.format(title="Loud")), "file: is not loaded"
    ),
    Hostile(
        "mixed-case .Yml", "mixed.Yml", _text(GOOD.format(title="Mixed")), "file: is not loaded"
    ),
    Hostile(
        "huge unknown key",
        "long-key.yaml",
        _text(GOOD.format(title="Long Key") + "k" * 1000 + ": 1\n"),
        "…: unknown key",
    ),
)


def build_hostile(folder: Path, kinds: tuple[Hostile, ...] = HOSTILE) -> None:
    for hostile in kinds:
        hostile.make(hostile.path(folder))
