"""The engine facade: the only package that imports SpiffWorkflow.

Views, actors and commands call these verbs with ids and an Actor; they never see SpiffWorkflow
objects. Engine functions flush and never commit: one commit per request or actor, at the edge.
"""
from engine import clock, work_calendar
from engine.errors import (EngineError, Forbidden, InvalidTaskData, NotFound, Problem, SandboxError,
                           TaskConflict, ValidationFailed, VersionRefused)
from engine.identity import SYSTEM, Actor
from engine.operations import (NewTask, Outcome, complete_task, deliver_message, fire_timer, retry_incident,
                               send_signal, start, store_version)
# Messages the platform sends to waiting instances (the resident wrote; a clinician's named action).
from engine.reserved_messages import ACTION_PREFIX, RESIDENT_MESSAGE, is_platform_message
from engine.platform_events import (WaitingAction, press_action, resident_message_sent, send_to,
                                     waiting_actions)
from engine.lifecycle import END_REASONS, OPEN_STATUSES, end, hand_over, pause, reassign, resume
# Moving running instances onto another version of their program (docs/ENGINE.md "Moving instances").
from engine.moves import (Blocker as MoveBlocker, MovePlan, MoveRefused, candidates as instances_to_move,
                          move as move_instance, plan as plan_move)
# Steps the platform puts on a task list, outside the program's BPMN (element ids "platform:…").
from engine.platform_tasks import HANDOVER as HANDOVER_TASK, is_platform as is_platform_task
# Purging an ended instance's working material to a tombstone (the rules are purging/'s).
from engine.purge import EndedProgram, ended_programs, is_purged, purge_instances, still_held
from engine.package import CheckedPackage, check as check_package, read_paths
# What the design tool's draft store checks uploaded files with, so drafts and versions agree.
from engine.package import (MAX_MEDIA_BYTES, MAX_PACKAGE_BYTES, MAX_TEXT_CHARS, MEDIA_PATH, TEXT_PATH,
                            content_hash, media_type)
from engine.xmlsafe import MAX_BPMN_BYTES, XmlRejected, parse as parse_xml
from engine.sandbox import forget_parsed_text, register_data_function
# The design tool checks one field as it is typed with the rules a package is checked by.
from engine.sandbox import check_expression, check_script
from engine.timers_iso import check_timer
from engine.helper_docs import Helper, describe_helper, expression_helpers
from engine.rules import SUPPORTED as SUPPORTED_ELEMENTS
from engine.task_context import DoneStep, TaskContext, done_step, task_context
# Path coverage for the design tool: what an instance took, what a package has.
from engine.paths import Paths, package_paths, taken as paths_taken
# The publisher's review: every expression and script of a package, by element, with the data it reads.
from engine.expression_list import Expression, names_read, package_expressions
from engine.progress import CompletedStep, Diagram, Progress, Waiting, progress as instance_progress
from engine.queries import (TaskDetails, TaskItem, claim_due_timers, form_file, program_texts, task_details, history, incidents, instance, next_timer_due,
                            overdue_timer_ids, ready_tasks, tasks_for_resident, worklist, worklist_counts,
                            urgency_key,
                            WORKLIST_FILTERS)
# Plain records of versions, instances and history, and the reads other packages make of them.
from engine.records import Event, Instance, ProgramItem, Version
from engine.queries import Counts, counts
from engine.versions import media_file, version, version_files, versions
from engine.caseload import (has_program_on, open_instance, programs_of, subjects_on_unit,
                             subjects_with_program_on, units_of)
from engine.roles import ROLES
# For ``vardflode bench`` only: bare SpiffWorkflow to compare against, and bulk seeding and measuring.
from engine import baseline, benchmark
# Summaries of many instances at once, for lists, program pages and statistics.
from engine.summaries import InstanceSummary, instance_summaries, instance_summary, instances_on_units
# A test run's own clock (the design tool's "Testa"): move one test instance's time forward.
from engine import testclock
# The demo's movable clock (VARDFLODE_DEMO_CLOCK only): sync() and move().
from engine import democlock
# Video meetings placed in a program (engine/meetings.py): the video package hears when one opens.
from engine.meetings import KINDS as MEETING_KINDS, OpenedMeeting, on_opened as on_meeting_opened

__all__ = [
    "work_calendar",
    "clock", "EngineError", "Forbidden", "InvalidTaskData", "NotFound", "Problem", "SandboxError", "VersionRefused",
    "TaskConflict", "ValidationFailed", "SYSTEM", "Actor", "NewTask", "Outcome", "complete_task",
    "deliver_message", "fire_timer", "retry_incident", "send_signal", "start", "store_version",
    "CheckedPackage", "check_package", "read_paths",
    "MAX_MEDIA_BYTES", "MAX_PACKAGE_BYTES", "MAX_TEXT_CHARS", "MEDIA_PATH", "TEXT_PATH", "content_hash", "media_type",
    "MAX_BPMN_BYTES", "XmlRejected", "parse_xml", "register_data_function", "forget_parsed_text",
    "check_expression", "check_script", "check_timer", "Helper", "describe_helper", "expression_helpers",
    "SUPPORTED_ELEMENTS", "TaskDetails", "task_details", "TaskItem", "claim_due_timers", "history",
    "incidents", "instance", "next_timer_due", "overdue_timer_ids", "ready_tasks",
    "tasks_for_resident", "worklist", "worklist_counts", "urgency_key", "WORKLIST_FILTERS", "TaskContext", "task_context", "DoneStep", "done_step", "form_file", "program_texts", "CompletedStep", "Diagram", "Progress", "Waiting", "instance_progress",
    "ACTION_PREFIX", "RESIDENT_MESSAGE", "is_platform_message", "WaitingAction", "press_action",
    "resident_message_sent", "send_to", "waiting_actions",
    "MoveBlocker", "MovePlan", "MoveRefused", "instances_to_move", "move_instance", "plan_move",
    "END_REASONS", "OPEN_STATUSES", "end", "hand_over", "pause", "reassign", "resume",
    "HANDOVER_TASK", "is_platform_task", "EndedProgram", "ended_programs", "is_purged", "purge_instances", "still_held",
    "Event", "Instance", "ProgramItem", "Version", "Counts", "counts", "media_file", "version", "version_files", "versions",
    "has_program_on", "open_instance", "programs_of", "subjects_on_unit", "subjects_with_program_on", "units_of", "ROLES",
    "baseline", "benchmark",
    "Paths", "package_paths", "paths_taken", "Expression", "names_read", "package_expressions",
    "InstanceSummary", "instance_summaries", "instance_summary", "instances_on_units", "democlock", "testclock", "MEETING_KINDS", "OpenedMeeting", "on_meeting_opened",
]
