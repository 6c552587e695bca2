"""Triage engine for leg and foot numbness: plain Python, no Rasa imports."""
