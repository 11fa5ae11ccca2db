"""Tokens never reach a log line, a traceback or an error message, whatever shape they take."""

from __future__ import annotations

import io
import logging
import subprocess
import sys

import pytest

from bot.redact import install_log_redaction, redact
from tests.conftest import REPO
from tests.tokens import realistic_tokens

INTERACTION_TOKEN = "aW50ZXJhY3Rpb246MTE3NTQ2OTg2MjUxMjg0MDcwNDp" + "x" * 60


@pytest.fixture
def logged() -> tuple[logging.Logger, io.StringIO]:
    """A logger of its own with one handler writing to a string, redacted as the CLI does."""
    stream = io.StringIO()
    root = logging.getLogger("tests.redact")
    root.handlers = [logging.StreamHandler(stream)]
    root.propagate = False
    root.setLevel(logging.DEBUG)
    install_log_redaction(root)
    yield root, stream
    root.handlers = []


@pytest.mark.parametrize("token", realistic_tokens(), ids=lambda t: f"{len(t)}-chars")
def test_log_records_and_tracebacks_never_show_a_token(
    logged: tuple[logging.Logger, io.StringIO], token: str
) -> None:
    log, stream = logged
    log.info("token is %s", token)
    log.warning("Authorization: Bot %s", token)
    log.debug("POST https://discord.com/api/v10/webhooks/123/%s", INTERACTION_TOKEN)
    log.info({"headers": {"Authorization": f"Bot {token}"}})
    try:
        raise RuntimeError(f"login failed for {token!r}")
    except RuntimeError:
        log.exception("could not start")
    text = stream.getvalue()
    assert token[10:] not in text and INTERACTION_TOKEN[30:] not in text
    assert text.count("token hidden") == 5
    assert "Traceback" in text and "RuntimeError: login failed for '" in text
    assert token[:4] + "…(token hidden)" in text  # which bot it was stays readable


def test_ordinary_text_is_left_alone() -> None:
    for text in (
        "Reloaded 88 cards: 1 added.",
        "https://discord.com/api/v10/applications/1175469862512840704/commands",
        "data/cards/run-on.yaml:19: streaming.0.url: expected https",
        "version 2.7.1.post1, file a.b.c",
    ):
        assert redact(text) == text


def test_an_uncaught_exception_is_printed_without_the_token() -> None:
    token = realistic_tokens()[1]
    code = (
        "import logging; from bot.redact import install_log_redaction\n"
        "logging.basicConfig(); install_log_redaction()\n"
        f"raise SystemError('bad token {token}')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert "SystemError: bad token " in run.stderr and token[10:] not in run.stderr
