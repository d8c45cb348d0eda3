"""The partner's data in the export and in erase: what is the user's, what is the partner's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from msgspec.structs import replace

from program import export, journal
from program.service import Replenish
from state import EnteredAnswer, Store
from tests.conftest import Cli, enrolled
from tests.partner.test_ask import ask_program, check_in, exchange

START = date(2026, 3, 2)
MOMENT = datetime(2026, 3, 2, 20, tzinfo=UTC)


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[Replenish, Replenish]]:
    """Alex and Sam paired, both checked in on day 1 and both words shared and revealed."""
    program = ask_program(tmp_path)
    alex = enrolled(tmp_path / "alex", program, start=START, now=MOMENT)
    sam = enrolled(tmp_path / "sam", program, start=START, now=MOMENT)
    reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam")
    assert reply is not None
    alex.partner().join(reply.armored(), "Alex")
    check_in(alex, 1, "ALEX-OWN words")
    check_in(sam, 1, "SAM-SEALED words")
    for service in (alex, sam):
        service.choose_share(service.ready_to_share()[0], share=True)
    exchange(alex, sam)
    assert [p.theirs for p in alex.revealed_pairs("check-in", "words")] == ["SAM-SEALED words"]
    yield alex, sam
    alex.close()
    sam.close()


def test_the_export_names_the_partner_holds_what_was_entered_for_them_not_their_sealed_words(
    pair: tuple[Replenish, Replenish],
) -> None:
    alex, _sam = pair
    alex.store.enter_answers(
        [EnteredAnswer("check-in", 2, "words", "ENTERED from the page", "Sam", MOMENT)]
    )
    page = export.as_markdown(alex)
    assert "ALEX-OWN words" in page
    assert "## Your partner" in page and "Paired with Sam since 02 March 2026." in page
    assert "SAM-SEALED" not in page and "Sam's own export holds them" in page
    day_two = page[page.index("## Day 2") :]
    assert "**A few words, if you like.**, entered for Sam\n\nENTERED from the page" in day_two
    data = json.loads(export.as_json(alex))
    assert "SAM-SEALED" not in json.dumps(data)
    assert data["entered_answers"][0]["value"] == "ENTERED from the page"


def test_an_unpaired_export_has_no_partner_section(tmp_path: Path) -> None:
    with enrolled(tmp_path / "data", ask_program(tmp_path), start=START, now=MOMENT) as alone:
        assert "## Your partner" not in export.as_markdown(alone)


def test_entered_check_ins_stand_beside_mine_unpaired_and_say_so(tmp_path: Path) -> None:
    with enrolled(tmp_path / "data", ask_program(tmp_path), start=START, now=MOMENT) as alex:
        check_in(alex, 1, "mine")
        alex.save_settings(replace(alex.settings(), partner_name="Sam"))
        alex.store.enter_answers([EnteredAnswer("check-in", 1, "energy", 8, "Sam", MOMENT)])
        [scale] = journal.shared_checkins(alex)
        assert scale.days == ((START, 5, 8),) and scale.entered == {START}
        assert scale.entered_words == "1 of Sam's days entered for Sam from a worksheet."
        from program.tui.widgets.journal_chart import describe_both

        assert describe_both(scale).endswith("not a verdict. " + scale.entered_words)


def test_erase_removes_the_envelopes_the_partner_and_what_was_entered(
    pair: tuple[Replenish, Replenish], tmp_path: Path
) -> None:
    alex, _sam = pair
    alex.store.enter_answers([EnteredAnswer("check-in", 1, "energy", 8, "Sam", MOMENT)])
    key = alex.partner().key()
    assert key is not None and alex.store.envelopes(key.device)
    folder = alex.store.data_dir
    alex.close()
    result = Cli(folder, now=MOMENT.isoformat())("erase", "--yes")
    assert result.code == 0, result.err
    assert not folder.exists()
    with Store.open(folder) as fresh:
        assert fresh.partner() is None and fresh.envelopes(key.device) == []
        assert fresh.entered_answers() == [] and fresh.share_choices() == {}


def test_leave_forgets_the_choices_made_for_that_partner(
    pair: tuple[Replenish, Replenish],
) -> None:
    alex, _sam = pair
    assert alex.store.share_choices()
    alex.partner().leave()
    assert alex.store.share_choices() == {} and alex.store.partner() is None


def test_a_store_holding_only_a_pairing_holds_data(tmp_path: Path) -> None:
    """So the daily backup and `restore` count it: a pairing is not an empty file."""
    with Store.open(tmp_path / "data") as store:
        assert not store.holds_data()
        store.pair("their-device", "Sam", bytes(32), MOMENT)
        assert store.holds_data()
