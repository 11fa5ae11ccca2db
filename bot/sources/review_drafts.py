"""Where drafts go, and which review posts were drafted before.

A draft is an unreviewed card: it goes to ``./drafts/`` in the working folder by default, or
to the folder given with ``--out``; never into the installed package. Each draft remembers the
address of the post it came from (``review.url``, or ``review.source`` for an address that
``review.url`` cannot hold), so a second run over the same blog drafts only new posts.
"""

from __future__ import annotations

import os
import sysconfig
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

from bot.cards.model import Card
from bot.cards.reader import CARD_SUFFIX
from bot.config import PACKAGE_ROOT

DEFAULT_DRAFTS = Path("drafts")
_MAX_DRAFT_BYTES = 256 * 1024  # as for cards
_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


class OutFolderError(Exception):
    """The drafts folder cannot be used; the message says why, in one line."""


def installed_locations() -> list[Path]:
    """Folders that belong to the installed package: its code and its shipped catalog."""
    paths = sysconfig.get_paths()
    found = {
        Path(paths["purelib"]),
        Path(paths["platlib"]),
        Path(paths["data"]) / "share" / "drama-bot",
    }
    found.add(PACKAGE_ROOT / "bot")
    return sorted(p.resolve() for p in found)


def prepare_out_folder(out: Path | None) -> Path:
    """The folder drafts go to, created when missing. ``./drafts`` unless ``--out`` names one."""
    folder = out if out is not None else DEFAULT_DRAFTS
    resolved = folder.expanduser().resolve()
    for location in installed_locations():
        if resolved == location or resolved.is_relative_to(location):
            raise OutFolderError(
                f"{folder} is inside the installed drama-bot package ({location}); "
                "give a folder of your own with --out"
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutFolderError(
            f"{folder}: cannot create the folder ({exc.strerror or exc})"
        ) from None
    if not folder.is_dir():
        raise OutFolderError(f"{folder}: not a folder")
    return folder


# ---------------------------------------------------------------------------- addresses


def is_web_address(text: str | None) -> bool:
    return bool(text) and str(text)[:8].lower().startswith(("http://", "https://"))


def normalize_url(url: str) -> str:
    """One spelling per post: scheme and host folded, default port, fragment, tracking
    parameters and a trailing slash dropped; ``http`` and ``https`` count as the same post."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.lower().startswith(_TRACKING_PARAMS)
        ]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, query, "")).lstrip("/")


def review_address(review: Mapping[str, Any] | None) -> str | None:
    """The post address a card or draft remembers: ``review.url``, else a ``review.source``
    that is an address."""
    if not isinstance(review, Mapping):
        return None
    for key in ("url", "source"):
        value = review.get(key)
        if isinstance(value, str) and is_web_address(value):
            return value
    return None


def catalog_addresses(cards: Iterable[Card]) -> dict[str, Card]:
    """The review addresses our catalog's cards already hold."""
    found: dict[str, Card] = {}
    for card in cards:
        if card.review is None:
            continue
        address = review_address({"url": card.review.url, "source": card.review.source})
        if address:
            found[normalize_url(address)] = card
    return found


class DraftIndex:
    """The drafts already in a folder, by the post address each remembers and by file name.
    Drafts are read as plain YAML: an unfinished draft (``year:`` still empty) is still a draft."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.by_address: dict[str, Path] = {}
        self.by_file: dict[str, Path] = {}  # drafts of saved pages that carry no address
        for path in sorted(folder.glob(f"*{CARD_SUFFIX}")):
            review = _draft_review(path)
            if address := review_address(review):
                self.remember(address, path)
            elif isinstance(source := review.get("source"), str):
                self.by_file.setdefault(source, path)

    def remember(self, address: str, path: Path) -> None:
        self.by_address[normalize_url(address)] = path

    def drafted(self, address: str) -> Path | None:
        return self.by_address.get(normalize_url(address))

    def drafted_from_file(self, name: str) -> Path | None:
        """The draft made from a saved page of this name (one without an address)."""
        return self.by_file.get(name)


def _draft_review(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > _MAX_DRAFT_BYTES:
            return {}
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    review = data.get("review") if isinstance(data, dict) else None
    return review if isinstance(review, dict) else {}


# ---------------------------------------------------------------------------- writing


def write_atomically(path: Path, text: str) -> None:
    """Write through a hidden temporary file in the same folder, then rename it into place."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp", delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            handle.close()
            temporary.unlink(missing_ok=True)
            raise
    try:
        temporary.chmod(0o644)  # the temporary file was created private (0600)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
