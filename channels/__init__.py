"""Rasa input channels of the AsA bot: thin adapters outside `bot/`, named in credentials.yml."""
