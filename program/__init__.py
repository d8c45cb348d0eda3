"""Replenish: a calm terminal companion for recovering from relationship burnout."""
