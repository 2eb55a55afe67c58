"""Organisations, people, sign-in, access control, the PDL access log and its follow-up
(log search and random samples).

Imports: engine (db, models, clock, roles), SQLAlchemy, argon2, pyotp. Never web.
"""
