"""Message components: "did you mean" picks and page buttons (asker only), "open a drama"
menus (anyone), link buttons; and turning a rendered payload's components into a view.
Every click is answered: one that fails tells the user so, and one on a component this
release does not know (a message of an earlier release) says the command must be run again;
neither is left to Discord's "This interaction failed"."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import discord

from bot.answering.answers import NotFound, pick
from bot.answering.dispatch import page_of
from bot.answering.i18n import CommandName, text
from bot.answering.render import (
    EPHEMERAL,
    OPEN_CUSTOM_ID,
    PAGE_PREFIX,
    PICK_PREFIX,
    message,
    render,
)
from bot.frontend.send import send_notice

if TYPE_CHECKING:
    from bot.frontend.app import DramaBot

log = logging.getLogger(__name__)


Callback = Callable[[Any, discord.Interaction], Awaitable[None]]


def tells_the_user_on_failure(callback: Callback) -> Callback:
    """A component's callback that raises is logged and the user told, as the command tree's
    ``on_error`` does for slash commands (discord.py would log it and answer nothing)."""

    @functools.wraps(callback)
    async def guarded(self: Any, interaction: discord.Interaction) -> None:
        try:
            await callback(self, interaction)
        except Exception:
            log.exception("%s %r failed", type(self).__name__, _custom_id(interaction))
            await send_notice(interaction, text("discord.failed", _locale(interaction)))

    return guarded


class RefusedWhileStopping:
    """A dynamic item that, while the bot stops, answers a click with the private
    "restarting" notice instead of running (as ``DramaTree.interaction_check`` does for
    commands); otherwise its ``allowed`` check decides."""

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        if bot.stopping:
            await bot.in_flight.restarting(interaction)
            return False
        return await self.allowed(interaction)

    async def allowed(self, interaction: discord.Interaction) -> bool:
        return True


class PickMenu(
    RefusedWhileStopping,
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=PICK_PREFIX + r":(?P<command>[a-z]+):(?P<user>\d+):(?P<region>[A-Z]{0,2})",
):
    """The "did you mean" menu: only the person who asked may pick; the pick answers in place."""

    def __init__(self, select: discord.ui.Select[Any], command: str, user_id: int, region: str):
        super().__init__(select)
        self.command = command
        self.user_id = user_id
        self.region = region

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> PickMenu:
        assert isinstance(item, discord.ui.Select)
        return cls(item, match["command"], int(match["user"]), match["region"])

    async def allowed(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.user_id:
            return True
        await send_notice(
            interaction,
            text("discord.menu_not_yours", _locale(interaction), command=CommandName(self.command)),
        )
        return False

    @tells_the_user_on_failure
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        chosen = self.item.values[0] if self.item.values else ""
        extra = {"region": self.region} if self.region else {}
        catalog, user, command = bot.service.catalog, interaction.user.id, self.command
        locale = _locale(interaction)

        def compute() -> dict[str, Any]:
            answer = pick(catalog, command, chosen, extra)
            if isinstance(answer, NotFound):  # removed by a reload since the menu was sent
                gone = text("discord.pick_gone", locale, command=CommandName(command))
                return notice_payload(gone)
            return render(answer, user, locale)

        # The answer replaces the menu's message; a private notice is sent apart from it.
        await bot.replier.answer(
            interaction, compute, defer_after=bot.config.defer_answers_after, update=True
        )


class OpenMenu(
    RefusedWhileStopping,
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=OPEN_CUSTOM_ID,
):
    """A menu of related dramas; anyone may open one, and the card is shown to them alone."""

    def __init__(self, select: discord.ui.Select[Any]):
        super().__init__(select)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> OpenMenu:
        assert isinstance(item, discord.ui.Select)
        return cls(item)

    @tells_the_user_on_failure
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        chosen = self.item.values[0] if self.item.values else ""
        catalog, user = bot.service.catalog, interaction.user.id
        locale = _locale(interaction)

        def compute() -> dict[str, Any]:
            answer = pick(catalog, "drama", chosen, {})
            if isinstance(answer, NotFound):
                return notice_payload(text("discord.drama_gone", locale))
            # shown to whoever opened it, in their language
            return render(answer, user, locale) | {"flags": EPHEMERAL}

        await bot.replier.answer(interaction, compute, defer_after=bot.config.defer_answers_after)


def notice_payload(text: str) -> dict[str, Any]:
    return message(text, ephemeral=True)


class PageButton(
    RefusedWhileStopping,
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=PAGE_PREFIX + r":(?P<command>[a-z]+):(?P<user>\d+):(?P<page>\d+):(?P<key>.*)",
):
    """Previous/Next on a long list: only the asker may turn pages; the page replaces the
    message in place. The list is rebuilt from the current catalog each time."""

    def __init__(
        self, button: discord.ui.Button[Any], command: str, user_id: int, page: int, key: str
    ):
        super().__init__(button)
        self.command = command
        self.user_id = user_id
        self.page = page
        self.key = key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: Any, /
    ) -> PageButton:
        assert isinstance(item, discord.ui.Button)
        return cls(item, match["command"], int(match["user"]), int(match["page"]), match["key"])

    async def allowed(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.user_id:
            return True
        await send_notice(
            interaction,
            text(
                "discord.pages_not_yours", _locale(interaction), command=CommandName(self.command)
            ),
        )
        return False

    @tells_the_user_on_failure
    async def callback(self, interaction: discord.Interaction) -> None:
        bot: DramaBot = interaction.client  # type: ignore[assignment]
        catalog, user, command = bot.service.catalog, interaction.user.id, self.command
        key, page = self.key, self.page
        locale = _locale(interaction)

        def compute() -> dict[str, Any]:
            answer = page_of(catalog, command, key, page)
            if answer is None:
                changed = text("discord.list_changed", locale, command=CommandName(command))
                return notice_payload(changed)
            return render(answer, user, locale)

        # The page replaces the message in place; a private notice is sent apart from it.
        await bot.replier.answer(
            interaction, compute, defer_after=bot.config.defer_answers_after, update=True
        )


def _custom_id(interaction: discord.Interaction) -> str:
    data = interaction.data or {}
    return str(data.get("custom_id", ""))


async def answer_unknown_component(interaction: discord.Interaction) -> None:
    """A click on a button or menu no dynamic item of this release reads (ids of an earlier
    release): the user is told to run the command again."""
    if interaction.type is not discord.InteractionType.component:
        return
    custom_id = _custom_id(interaction)
    for item in (PickMenu, OpenMenu, PageButton):
        if item.__discord_ui_compiled_template__.fullmatch(custom_id):
            return
    log.info("a click on %r, which this release does not read: told to run it again", custom_id)
    await send_notice(interaction, text("discord.old_component", _locale(interaction)))


def _locale(interaction: discord.Interaction) -> str:
    """The language of whoever clicked (menus and pages answer in the clicker's language)."""
    return interaction.locale.value


def build_view(payload: dict[str, Any]) -> discord.ui.View | None:
    """The discord.py view for a payload's components: select menus and page buttons as
    dynamic items (they keep working after a restart), link buttons as plain buttons."""
    view = discord.ui.View(timeout=None)
    for row_number, row in enumerate(payload["components"]):
        for component in row["components"]:
            if component["type"] == 2:
                view.add_item(_button(component, row_number))
            else:
                view.add_item(_select(component, row_number))
    return view if view.children else None


def _button(component: dict[str, Any], row: int) -> discord.ui.Item[Any]:
    if component.get("style") == 5:
        return discord.ui.Button(label=component["label"], url=component["url"], row=row)
    button: discord.ui.Button[Any] = discord.ui.Button(
        label=component["label"],
        custom_id=component["custom_id"],
        style=discord.ButtonStyle(component.get("style", 2)),
        disabled=component.get("disabled", False),
        row=row,
    )
    match = PageButton.__discord_ui_compiled_template__.fullmatch(component["custom_id"])
    if match is None:
        return button
    return PageButton(
        button, match["command"], int(match["user"]), int(match["page"]), match["key"]
    )


def _select(component: dict[str, Any], row: int) -> discord.ui.Item[Any]:
    select: discord.ui.Select[Any] = discord.ui.Select(
        custom_id=component["custom_id"],
        placeholder=component.get("placeholder"),
        min_values=component.get("min_values", 1),
        max_values=component.get("max_values", 1),
        options=[
            discord.SelectOption(label=o["label"], value=o["value"]) for o in component["options"]
        ],
        row=row,
    )
    match = PickMenu.__discord_ui_compiled_template__.fullmatch(select.custom_id)
    if match:
        return PickMenu(select, match["command"], int(match["user"]), match["region"])
    return OpenMenu(select)


async def setup(bot: DramaBot) -> None:
    bot.add_dynamic_items(PickMenu, OpenMenu, PageButton)
    bot.add_listener(answer_unknown_component, "on_interaction")
