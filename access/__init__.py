"""Organisations, people, sign-in, access control and the PDL access log.

Imports: engine (db, models, clock, roles), SQLAlchemy, argon2, pyotp. Never web.
"""
