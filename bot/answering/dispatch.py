"""Every command's answer, routed by name: the one entry point both front ends call."""

from __future__ import annotations

import dataclasses
import random
import time

from bot import __version__
from bot.answering import answers, discovery, info, settings_view
from bot.answering.answers import Answer
from bot.answering.commands import Invocation
from bot.answering.i18n import Phrase
from bot.catalog.snapshot import Catalog
from bot.matching.query import without_terminal_codes

_SYSTEM_RANDOM = random.SystemRandom()


def answer(
    catalog: Catalog,
    invocation: Invocation,
    *,
    status: info.BotStatus | None = None,
    rng: random.Random | None = None,
    default_region: str | None = None,
) -> Answer:
    """Answer any command but ``/reload`` (which needs the service) and ``/settings`` (which
    needs a server). ``status`` feeds /about; ``rng`` makes /random repeatable in tests;
    ``default_region`` is the server's region for /stream when the user gives none."""
    # A terminal's colour codes pasted with any option are no part of it ("tvN\x1b[31m").
    options = {key: without_terminal_codes(value) for key, value in invocation.options.items()}
    name, invocation = invocation.name, Invocation(invocation.name, options)
    if name == "random":
        return discovery.random_drama(catalog, options, rng or _SYSTEM_RANDOM)
    if name == "browse":
        return discovery.browse(catalog, options)
    if name == "top":
        return discovery.top(catalog, options)
    if name == "settings":
        return settings_view.outside_a_server()
    if name == "help":
        facets = catalog.facets
        return info.help_answer(not facets.by_review and not facets.by_community)
    if name == "about":
        now = time.time()
        return info.about_answer(
            status
            or info.BotStatus(__version__, len(catalog), now, now, Phrase("about.loaded_at_start")),
            catalog.facets.reviewed,
            catalog.facets.house_reviewed,
        )
    return answers.answer(catalog, invocation, default_region=default_region)


def page_of(catalog: Catalog, command: str, key: str, page: int) -> Answer | None:
    """Another page of a long list, rebuilt from the current catalog (None when the list it
    came from no longer exists, e.g. its drama was removed by a reload)."""
    if command in {"actor", "cast", "similar"}:
        found = answers.pick(catalog, command, key, {})
        if isinstance(found, answers.CardAnswer | answers.ActorAnswer):
            return dataclasses.replace(found, page=page)
        return None
    return discovery.page_of(catalog, command, key, page)
