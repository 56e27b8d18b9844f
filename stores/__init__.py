"""Rasa-facing stores: a Redis lock store whose ticket operations are atomic across processes."""
