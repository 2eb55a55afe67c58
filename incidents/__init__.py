"""Incident reporting (avvikelser, R57–R62, R84): the report with its evidence, the shipped
``incident_report`` process that sends it to the manufacturer and to Läkemedelsverket at once, the
printable report to Läkemedelsverket, and the stages the reporter follows. See reports.py."""
