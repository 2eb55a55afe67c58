"""Dramatiq: the broker, the actors (ids in, idempotent, one commit each) and the timer scheduler."""
