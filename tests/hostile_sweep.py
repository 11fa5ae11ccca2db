"""Round 15's hostile-cards sweep (branch ``serve15``): each kind of hostile card the
assignment names, built for real in a cards folder beside a good card, with the exact
``name:line: key: message`` line(s) the admin must read for it. Used through ``drama-bot
check`` and ``drama-bot ask`` (tests/test_hostile_sweep.py) and through ``/reload`` of the
running bot (tests/e2e/test_hostile_reload.py). Kinds already in ``tests/hostile.py`` are
taken from there by name; the others are made here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.hostile import HOSTILE

GOOD_NAME = "good-harbour.yaml"
GOOD = 'title: "Good Harbour"\nyear: 2020\ncast:\n  - actor: Han Mira\n'
A_CARD = "year: 2020\ncast:\n  - actor: A\n"


def _write(name: str, body: str | bytes) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        (folder / name).write_bytes(data)

    return make


FIFTY_HEAD = b'title: X\nyear: 2020\nreview: {summary: "'


def _fifty_megabytes(folder: Path) -> None:
    with (folder / "fifty.yaml").open("wb") as handle:
        handle.write(FIFTY_HEAD)
        for _ in range(50):
            handle.write(b"a" * (1 << 20))
        handle.write(b'"}\n')


def _from_corpus(kind: str) -> Callable[[Path], None]:
    hostile = next(h for h in HOSTILE if h.kind == kind)
    return lambda folder: hostile.make(hostile.path(folder))


@dataclass(frozen=True)
class Sweep:
    kind: str
    make: Callable[[Path], None]  # builds the hostile file(s) in the cards folder
    lines: tuple[str, ...]  # "name:line: key: message" lines the admin must read (exactly)


FIFTY_MB = len(FIFTY_HEAD) + 50 * (1 << 20) + 3
CAST_100K = len("title: Many\nyear: 2020\ncast:\n") + 100_000 * len("  - actor: A\n")

SWEEP: tuple[Sweep, ...] = (
    Sweep(
        "billion laughs",
        _from_corpus("billion laughs"),
        (
            "laughs.yaml:4: aliases[1]: YAML anchors and aliases (&name / *name) are not "
            "supported in cards",
        ),
    ),
    Sweep(
        "nesting 10,000 deep",
        _write("deep.yaml", "title: " + "[" * 10_000 + "]" * 10_000 + "\n" + A_CARD),
        ("deep.yaml:1: yaml: not valid YAML: exceeded maximum nesting depth",),
    ),
    Sweep(
        "a 50 MB card",
        _fifty_megabytes,
        (f"fifty.yaml:1: file: is {FIFTY_MB} bytes; a card may be at most 262144",),
    ),
    Sweep(
        "100,000 cast entries",
        _write("many.yaml", "title: Many\nyear: 2020\ncast:\n" + "  - actor: A\n" * 100_000),
        (f"many.yaml:1: file: is {CAST_100K} bytes; a card may be at most 262144",),
    ),
    Sweep(
        "NUL byte",
        _from_corpus("NUL byte"),
        ("nul.yaml:1: yaml: not valid YAML: character #x0000 is not allowed",),
    ),
    Sweep("binary", _from_corpus("binary"), ("binary.yaml:2: file: is not UTF-8 text",)),
    Sweep(
        "UTF-16 with a byte order mark",
        _write("sixteen.yaml", ('title: "Sixteen"\n' + A_CARD).encode("utf-16")),
        (
            "sixteen.yaml:1: file: is UTF-16 text (it starts with a byte order mark); save it "
            "as UTF-8",
        ),
    ),
    Sweep(
        "invalid UTF-8 on line 3",
        _write("latin.yaml", b"title: Latin\nyear: 2020\ncast:\n  - actor: Caf\xe9\n"),
        ("latin.yaml:4: file: is not UTF-8 text",),
    ),
    Sweep(
        "a key twice",
        _write("twice.yaml", "title: One\ntitle: Two\n" + A_CARD),
        ("twice.yaml:2: title: key appears twice (first on line 1)",),
    ),
    Sweep(
        "a tab indenting",
        _write("tabs.yaml", "title: Tabs\nyear: 2020\ncast:\n\t- actor: A\n"),
        ("tabs.yaml:4: yaml: not valid YAML: a tab character; YAML indents with spaces only",),
    ),
    Sweep(
        "two documents",
        _from_corpus("two documents"),
        ("two.yaml:6: yaml: one card per file: found a second YAML document",),
    ),
    Sweep(
        "!!python/object tag",
        _from_corpus("python tag"),
        (
            "tagged.yaml:1: title: YAML tags such as "
            "tag:yaml.org,2002:python/object/apply:os.system "
            "are not allowed in cards",
        ),
    ),
    Sweep(
        "merge key",
        _from_corpus("merge key"),
        ("merge.yaml:4: review: YAML merge keys (<<) are not supported in cards",),
    ),
    Sweep(
        "an anchor used under another key",
        _write(
            "anchor.yaml",
            "title: &t Anchor\nyear: 2020\ncast:\n  - actor: A\naliases:\n  - Other\n  - *t\n",
        ),
        (
            # (line 6, where the list starts: libyaml's composer hands over the anchored node
            # itself for an alias, so the alias's own line is not known; it said line 1)
            "anchor.yaml:6: aliases[1]: YAML anchors and aliases (&name / *name) are not "
            "supported in cards",
        ),
    ),
    Sweep(
        "a list for the title",
        _write("list-title.yaml", "title: [a, b]\n" + A_CARD),
        ("list-title.yaml:1: title: expected text, got a list",),
    ),
    Sweep(
        "numbers for text, text for a number",
        _write("numbers.yaml", 'title: 42\nyear: "2020"\ncast:\n  - actor: 7\n'),
        (
            "numbers.yaml:1: title: expected text, got a whole number (put it in quotes, "
            'e.g. "2521")',
            "numbers.yaml:2: year: expected a whole number, got text",
            "numbers.yaml:4: cast[0].actor: expected text, got a whole number (put it in "
            'quotes, e.g. "2521")',
        ),
    ),
    Sweep(
        "null everywhere",
        _write("nulls.yaml", "title: null\nyear: null\ncast: null\naliases: null\n"),
        (
            "nulls.yaml:1: title: expected text, got nothing (null)",
            "nulls.yaml:2: year: expected a whole number, got nothing (null)",
            "nulls.yaml:3: cast: expected a list, got nothing (null)",
            "nulls.yaml:4: aliases: expected a list, got nothing (null)",
        ),
    ),
    Sweep(
        "a number for a slug (the file name)",
        _write("42.yaml", 'title: "42"\nyear: 2020\ncast:\n  - actor: A\n'),
        (),  # a valid slug: it loads
    ),
    Sweep(
        "slugs with ../",
        _write(
            "dotted-paths.yaml", "title: Dotted Paths\n" + A_CARD + "similar: [../etc/passwd]\n"
        ),
        (
            "dotted-paths.yaml:5: similar[0]: note: no card here is called '../etc/passwd'; "
            "/similar shows it without a link (add its card, or spell it as our card does)",
        ),
    ),
    Sweep(
        "two cards for one slug (case)",
        _write("Good-Harbour.yaml", GOOD),
        (
            "Good-Harbour.yaml:1: slug: file name 'Good-Harbour.yaml' must be lower-case words "
            "joined by '-' (at most 100 characters)",
        ),
    ),
    Sweep(
        "a link to /dev/zero",
        _from_corpus("link to a device"),
        (
            "zero.yaml:1: file: is a link to a file outside the cards folder; it is not read (a "
            "card must be a file inside the folder)",
        ),
    ),
    Sweep(
        "a FIFO",
        _from_corpus("FIFO"),
        (
            "fifo.yaml:1: file: is not a regular file (a FIFO, socket or device); cards must be "
            "files named <slug>.yaml",
        ),
    ),
    Sweep(
        "a folder named x.yaml",
        lambda folder: (folder / "x.yaml").mkdir(),
        ("x.yaml:1: file: is a folder; cards must be files named <slug>.yaml",),
    ),
    Sweep(
        "a link loop",
        _from_corpus("symlink loop"),
        ("loop.yaml:1: file: cannot be read: Too many levels of symbolic links",),
    ),
)


def names(sweep: Sweep) -> set[str]:
    """The files a kind's lines name (the "name:" each starts with)."""
    return {line.split(":", 1)[0] for line in sweep.lines}


def build(folder: Path, sweep: Sweep) -> None:
    folder.mkdir(exist_ok=True)
    (folder / GOOD_NAME).write_text(GOOD, "utf-8")
    sweep.make(folder)


def empty_files(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / GOOD_NAME).write_text(GOOD, "utf-8")
    for number in range(count):
        (folder / f"empty-{number:05d}.yaml").touch()


def pick(kind: str) -> Sweep:
    return next(s for s in SWEEP if s.kind == kind)
