"""Residents' screens: their programs and steps, open programs, messages, contact details and
their own log extract."""
