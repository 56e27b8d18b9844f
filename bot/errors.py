"""The project's exception hierarchy: every deliberate error derives from AsaError."""

from __future__ import annotations


class AsaError(Exception):
    """Root of the project's own errors; the message tells the user what to do."""


class ConfigError(AsaError):
    """A setting in the environment or `.env` has a value the bot cannot use."""


class SetupError(AsaError):
    """Something the bot needs on disk (environment, language model, trained model) is missing."""
