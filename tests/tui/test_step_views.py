"""Each step kind has its view, found through one table and imported only when it is shown."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from program.content.steps import KINDS, ReadStep
from program.tui.widgets import factory
from program.tui.widgets.base import StepView
from tests.conftest import ROOT


def test_every_kind_has_a_view_that_exists() -> None:
    assert set(factory.VIEWS) == set(KINDS)
    for kind in KINDS:
        assert issubclass(factory.view_class(kind), StepView), kind


def test_a_kind_without_a_view_is_an_explicit_error() -> None:
    with pytest.raises(LookupError, match='no view for a step of kind "breathe"'):
        factory.view_class("breathe")


def test_showing_a_read_step_imports_no_other_steps_view() -> None:
    """The runner builds each step's view on its own: a read step loads only the read view."""
    script = textwrap.dedent(
        """
        import sys
        from program.content.steps import ReadStep
        from program.tui.widgets.factory import step_view
        from program.when import ReminderHooks

        hooks = ReminderHooks(lambda: None, lambda when, text: 0, lambda reminder: None)
        view = step_view(ReadStep(id="r", text="Breathe."), None, lambda value: True, hooks)
        print(type(view).__name__)
        print(" ".join(sorted(m for m in sys.modules if m.startswith("program.tui.widgets."))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    name, modules = done.stdout.splitlines()
    assert name == "ReadView"
    assert modules.split() == [
        "program.tui.widgets.base",
        "program.tui.widgets.factory",
        "program.tui.widgets.read",
    ]
    assert ReadStep.kind in factory.VIEWS
