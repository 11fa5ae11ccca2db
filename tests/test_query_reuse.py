"""Work a query does once, not twice: each word's list read only as far as it can matter, and
the index's answer to a typed text shared by autocomplete's two uses of it. The results are
those of doing all of it (checked here against doing all of it)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.answering.title_resolve import resolve_title, title_choices
from bot.catalog.snapshot import Catalog
from bot.matching.index import Kind, Resolution
from bot.matching.postings import WordIndex

_WORDS = st.text(alphabet="abc", min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(st.lists(_WORDS, min_size=1, max_size=4), min_size=1, max_size=60),
    stem=st.text(alphabet="abc", min_size=1, max_size=2),
    lowest=st.integers(min_value=1, max_value=30),
)
def test_the_lowest_positions_of_words_starting_with_a_stem_are_those_of_all(
    names: list[list[str]], stem: str, lowest: int
) -> None:
    index = WordIndex.build(names)
    holding = sorted({n for n, words in enumerate(names) if any(w.startswith(stem) for w in words)})
    assert index.starting_with(stem, 100).tolist() == holding
    assert index.starting_with(stem, 100, lowest).tolist() == holding[:lowest]


def test_suggestions_lead_with_the_answer_they_are_given(shipped_catalog: Catalog) -> None:
    titles = shipped_catalog.titles
    typed = "crash landng"  # no name starts so: the text's answer leads the suggestions
    answer = titles.resolve(typed)
    assert answer.kind is Kind.MATCH and answer.ids == ("crash-landing-on-you",)
    assert titles.suggest(typed, resolved=answer) == titles.suggest(typed)
    # The answer given is the one used (not worked out again).
    given_answer = Resolution(Kind.MATCH, ("vincenzo",), typed)
    assert titles.suggest(typed, resolved=given_answer)[:1] == ["vincenzo"]


def test_a_title_and_an_actor_read_with_the_answer_given(shipped_catalog: Catalog) -> None:
    typed = "queen of tears kim soo hyun"
    direct = shipped_catalog.titles.resolve(typed)
    assert resolve_title(shipped_catalog, typed, respell=False, resolved=direct) == (
        resolve_title(shipped_catalog, typed, respell=False)
    )
    assert title_choices(shipped_catalog, typed)[:1] == ["queen-of-tears"]
    assert title_choices(shipped_catalog, "crash landng")[:1] == ["crash-landing-on-you"]
