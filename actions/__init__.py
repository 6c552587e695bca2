"""Rasa custom actions: thin adapters between the tracker and the triage engine."""

from actions.config import table

# Validate the table when the action server starts: a bad file fails here, loudly.
table()
