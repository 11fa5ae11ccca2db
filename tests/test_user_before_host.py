"""The one rule the settings and the cards share for an address with a user name before its
host: found exactly where Python's own URL parser puts the "@" (in the authority), and
said by each in its own words (the settings' and the card's messages)."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.text import user_before_host


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "HTTPS://"]),
    st.text(alphabet=st.sampled_from("ab@:/?#.1-%"), max_size=30),
)
@example("https://", "netflix.com@evil.example/x")
@example("https://", "host/path@x")
@example("https://", "host?q=a@b")
def test_a_user_before_the_host_is_where_urlsplit_finds_it(scheme: str, rest: str) -> None:
    address = scheme + rest
    assert user_before_host(address) == ("@" in urlsplit(address).netloc)


def test_no_scheme_no_authority() -> None:
    assert not user_before_host("name@host")
    assert not user_before_host("")
