"""Widgets for the exercise runner, one module per step kind, imported on demand."""
