"""Rasa custom actions: thin adapters from slots to the rules in `bot` and back to responses."""
