"""Secure messages between a resident and the care unit that runs their program. Message text is
health data: it lives here, never in task data, logs or notifications."""
