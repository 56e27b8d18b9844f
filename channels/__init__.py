"""Rasa input channels of the bot; each applies bot.guard before a message reaches the model."""
