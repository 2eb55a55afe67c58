"""The care journey: what a program looks like to the resident and to the clinic (answers, scores,
modules, history), what may be done to it, the clinician's task list and the statistics of
programs started and finished.

Imports: engine (the facade and engine.db), forms, access, catalogue, messaging. Never flask,
flask_babel or web: pages translate and format what these functions return.
"""
