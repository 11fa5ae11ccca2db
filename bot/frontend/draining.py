"""Stopping without leaving a fan on "The application did not respond".

Before round 13, SIGTERM closed the replier's HTTP session at once: a slash command or an
autocomplete being answered (waiting out a 429, computing a slow answer after "thinking…")
lost its answer, and one that arrived while the bot closed was not answered at all. Now
:class:`InFlight` knows the slash commands and autocompletes taken and not yet answered;
when the bot stops it takes no new work (a command gets a private "restarting" notice,
an autocomplete no choices), waits up to ``DRAIN_SECONDS`` for what is in flight, tells the
fans whose answers are still not sent that the bot is restarting, and only then closes the
session and the gateway (with 1000), within ``DRAIN_SECONDS + NOTICE_SECONDS``.

Round 14: clicks on our buttons and menus are drained too. They pass through discord.py's
view store, not the command tree, so ``DramaCore.dispatch`` takes them as they arrive
(:func:`is_click`) and the menus refuse new ones while stopping (``menus.RefusedWhileStopping``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

import discord

from bot.answering.i18n import text
from bot.answering.render import OPEN_CUSTOM_ID, PAGE_PREFIX, PICK_PREFIX

if TYPE_CHECKING:
    from bot.frontend.replies import Replier

log = logging.getLogger(__name__)

#: The longest wait for answers in flight (Discord's window for a first response is 3 s).
DRAIN_SECONDS = 4.0
#: The longest wait for the "restarting" notices sent after it.
NOTICE_SECONDS = 3.0
_POLL = 0.05


def is_click(interaction: discord.Interaction) -> bool:
    """A click on one of our buttons or menus (a component whose id we wrote)."""
    if interaction.type is not discord.InteractionType.component:
        return False
    custom_id = (interaction.data or {}).get("custom_id")
    return isinstance(custom_id, str) and custom_id.startswith(
        (PICK_PREFIX, PAGE_PREFIX, OPEN_CUSTOM_ID)
    )


class InFlight:
    """The interactions taken and not yet answered (slash commands, autocompletes, clicks)."""

    def __init__(self, replier: Replier) -> None:
        self.replier = replier
        self._open: dict[int, discord.Interaction] = {}

    def __len__(self) -> int:
        return len(self._open)

    def take(self, interaction: discord.Interaction) -> None:
        """Note ``interaction`` as taken now (those answered meanwhile are forgotten)."""
        self.replier.state(interaction)  # (its clock starts here, if it had not)
        self._forget_settled()
        self._open[interaction.id] = interaction

    def settled(self, interaction: discord.Interaction) -> bool:
        """Answered (its answer, not only "thinking…", sent), or past Discord's window
        without an acknowledgement (Discord has dropped it: nothing can be sent), or past
        its token's lifetime (a deferral never filled in: nothing can be sent either)."""
        state = self.replier.state(interaction)
        now = time.monotonic()
        if state.acknowledged:
            return state.deferred is None or state.replaced or now >= state.token_deadline
        return now >= state.first_deadline

    async def drain(self, seconds: float = DRAIN_SECONDS) -> None:
        """Wait up to ``seconds`` for every interaction in flight to be answered; then tell
        those still waiting that the bot is restarting (privately)."""
        deadline = time.monotonic() + seconds
        if self._forget_settled():
            log.info("stopping: answering %d interaction(s) in flight first", len(self))
        while self._forget_settled() and time.monotonic() < deadline:  # noqa: ASYNC110 (the replier's state has no event to wait on; polled only while stopping)
            await asyncio.sleep(_POLL)
        waiting = list(self._open.values())
        if not waiting:
            return
        log.info("stopping: %d interaction(s) not answered in time; telling them", len(waiting))
        notices = [self.restarting(interaction) for interaction in waiting]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*notices), NOTICE_SECONDS)

    async def restarting(self, interaction: discord.Interaction) -> None:
        """The private "restarting" notice (no choices for an autocomplete); never raises."""
        if interaction.type is discord.InteractionType.autocomplete:
            await self.replier.choices(interaction, [])
            return
        await self.replier.notice(interaction, text("discord.restarting", interaction.locale.value))

    def _forget_settled(self) -> bool:
        """Forget the settled interactions; whether any is left."""
        for key, interaction in list(self._open.items()):
            if self.settled(interaction):
                del self._open[key]
        return bool(self._open)
