"""Purging of working material (gallring, R44–R47): the platform is not a record system, so an
ended program's answers, messages, task data and engine state go once the clinician has
confirmed that what matters is in the record, or after the care provider's retention period per
program kind. A run is the shipped ``purge`` process per care provider (process.py), in batches
(purge.py), with one report per run; the rules are data (rules.py); the clinician's
confirmation and the resident's "when" are in journal.py. See docs/PURGING.md."""
