"""Notifications by e-mail and SMS: fixed texts without names or health data, an outbox table so
an event is sent at most once per channel, and pluggable transports (SMTP, SMS)."""
