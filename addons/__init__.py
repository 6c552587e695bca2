"""Rasa server plug-ins (custom NLU components, slot types, input channels)."""
