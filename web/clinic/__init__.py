"""Clinicians' screens: residents, the task list and task pages, starting a program, one program
of one resident with its actions and score graphs, and messages with a resident."""
