"""Dialogue logic without Rasa: the next question, answers as facts, results as responses."""
