"""The plain conversation of `replenish do`: each step kind's view as lines in and out.

The second family of step views, beside the app's (`program.tui.widgets`): for
screen readers, ssh, `TERM=dumb` and piped input. Nothing is redrawn, the cursor
never moves, and no colour or other escape sequence is written. `talk` is the
conversation (reading lines, the commands, waiting for a timer); `views` has one
view per step kind, found by the kind's name.
"""
