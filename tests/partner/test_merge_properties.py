"""The merge of envelopes is order-free, idempotent, and harmless to duplicates (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from program.partner.envelope import bundle
from program.service import Replenish
from tests.conftest import BUNDLED, enrolled

START = date(2026, 3, 2)
DAYS = 5


def _pair(root: Path) -> tuple[Replenish, Replenish]:
    moment = datetime(2026, 3, 8, 20, tzinfo=UTC)
    alex = enrolled(root / "alex", BUNDLED, start=START, now=moment)
    sam = enrolled(root / "sam", BUNDLED, start=START, now=moment)
    reply, _ = sam.partner().join(alex.partner().invite("Alex").armored(), "Sam")
    assert reply is not None
    alex.partner().join(reply.armored(), "Alex")
    return alex, sam


_made: dict[str, object] = {}


def _sent(root: Path) -> tuple[Replenish, Replenish, list[bytes]]:
    """Alex's chain of DAYS envelopes (one a day), made once for all examples."""
    if "chain" not in _made:
        alex, sam = _pair(root)
        for day in range(1, DAYS + 1):
            alex.save_answer("check-in", day, "energy", day)
            alex.save_answer("check-in", day, "closeness", 10 - day)
            alex.complete("check-in", day)
            alex.partner().send_bundle()
        key = alex.partner().key()
        assert key is not None
        _made["chain"] = (alex, sam, [e.body for e in alex.store.envelopes(key.device)])
    return _made["chain"]  # type: ignore[return-value]


def _state(service: Replenish, device: str) -> tuple[object, ...]:
    status = service.partner_status()
    assert status is not None
    return (
        tuple(e.body for e in service.store.envelopes(device)),
        status.waiting,
        status.problems,
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_order_any_batches_any_duplicates_end_the_same(data: st.DataObject) -> None:
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="merge-"))
    alex, first, bodies = _sent(Path(tempfile.mkdtemp(prefix="chain-")))
    key = alex.partner().key()
    assert key is not None
    # a fresh receiver each example: Sam's device key in a new data folder, paired again
    (root / "sam").mkdir(mode=0o700)
    shutil.copy2(first.store.data_dir / "partner.key", root / "sam" / "partner.key")
    sam = enrolled(root / "sam", BUNDLED, start=START, now=alex.now)
    try:
        sam.partner().join(_invitation(alex), "Sam")
        picks = data.draw(st.lists(st.sampled_from(bodies), min_size=len(bodies)))
        picks += bodies  # every envelope arrives at least once, in whatever order and batches
        order = data.draw(st.permutations(picks))
        cuts = sorted(data.draw(st.sets(st.integers(0, len(order)), max_size=4)))
        start = 0
        for cut in [*cuts, len(order)]:
            sam.partner().receive_bundle(bundle(order[start:cut]))
            start = cut
        once = _state(sam, key.device)
        sam.partner().receive_bundle(bundle(bodies))  # again: nothing changes
        assert _state(sam, key.device) == once
        assert once[0] == tuple(bodies) and once[2] == ()
    finally:
        sam.close()


def _invitation(alex: Replenish) -> str:
    from program.partner.keys import INVITATION, Invitation

    key = alex.partner().key()
    assert key is not None
    return Invitation(INVITATION, key.name, key.public).armored()
