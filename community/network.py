"""The designers' network (R71): questions and answers among designers, to the designers of one
publisher unit or nationally. Who takes part is decided by access.policy (designer or utgivare on a
publisher unit); a question on another publisher unit is not found, the same as an unknown one. The
asker marks one answer accepted. A question that reports an error in the platform is still to be
reported to national support (R69): the screens link there. Search is a plain case-insensitive
LIKE over title and body, the same on SQLite and PostgreSQL (SQLite folds the case of ASCII
letters only). Functions flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from access import security_log, staff_rights
from access.models import PublisherUnit, Staff
from community.errors import CommunityError, CommunityForbidden
from community.models import Answer, Question
from engine import clock
from engine.db import db

NATIONAL = "national"  # the scope of a question to every designer
MAX_TITLE = 200
MAX_BODY = 8000
MAX_QUERY = 100
PAGE = 50


@dataclass(frozen=True)
class Listed:
    question: Question
    answers: int
    accepted: bool


@dataclass(frozen=True)
class Thread:
    question: Question
    answers: list[Answer]
    names: dict  # staff id -> display name, for the asker and those who answered
    unit_name: str | None  # None: national


def scopes(principal) -> list[PublisherUnit]:
    """The publisher units the principal may ask on (besides nationally), by name."""
    units = staff_rights.network_units(principal)
    if not units:
        return []
    return list(db.session.scalars(select(PublisherUnit).where(PublisherUnit.id.in_(units)).order_by(PublisherUnit.name)))


def ask(principal, scope: str, title: str, body: str, reports_error: bool = False,
        request_id: str | None = None) -> Question:
    units = _member(principal)
    if scope != NATIONAL and scope not in units:
        raise CommunityError("scope", "ask nationally or on one of your publisher units")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise CommunityError("title", f"write the question in short (at most {MAX_TITLE} characters)")
    if not body or len(body) > MAX_BODY:
        raise CommunityError("body", f"describe the question (at most {MAX_BODY} characters)")
    question = Question(publisher_unit_id=None if scope == NATIONAL else scope, author_id=principal.id, title=title,
                        body=body, reports_error=bool(reports_error), asked_at=clock.now())
    db.session.add(question)
    db.session.flush()
    security_log.event("network_question_asked", "ok", actor_type="staff", actor_id=principal.id,
                       subject=question.id, request_id=request_id)
    return question


def answer(principal, question_id: str, body: str, request_id: str | None = None) -> Answer:
    question = get(principal, question_id)
    body = (body or "").strip()
    if not body or len(body) > MAX_BODY:
        raise CommunityError("answer", f"write the answer (at most {MAX_BODY} characters)")
    found = Answer(question_id=question.id, author_id=principal.id, body=body, answered_at=clock.now())
    db.session.add(found)
    db.session.flush()
    security_log.event("network_answered", "ok", actor_type="staff", actor_id=principal.id, subject=found.id,
                       request_id=request_id)
    return found


def accept(principal, question_id: str, answer_id: str, request_id: str | None = None) -> Question:
    """The asker marks one of the answers accepted (another choice replaces it)."""
    question = get(principal, question_id)
    if question.author_id != principal.id:
        raise CommunityForbidden("only the asker accepts an answer")
    found = db.session.get(Answer, answer_id) if isinstance(answer_id, str) else None
    if found is None or found.question_id != question.id:
        raise CommunityError("not_found", "no such answer to this question")
    question.accepted_answer_id = found.id
    security_log.event("network_answer_accepted", "ok", actor_type="staff", actor_id=principal.id,
                       subject=found.id, request_id=request_id)
    db.session.flush()
    return question


def get(principal, question_id: str) -> Question:
    """The question if the principal may see it; CommunityError "not_found" otherwise (the same for
    a question on another publisher unit, so its existence is not told)."""
    units = _member(principal)
    question = db.session.get(Question, question_id) if isinstance(question_id, str) else None
    if question is None or (question.publisher_unit_id is not None and question.publisher_unit_id not in units):
        raise CommunityError("not_found", "no such question")
    return question


def thread(principal, question_id: str) -> Thread:
    question = get(principal, question_id)
    answers = list(db.session.scalars(select(Answer).where(Answer.question_id == question.id)
                                      .order_by(Answer.answered_at, Answer.id)))
    # The accepted answer first, the rest in the order they came.
    answers.sort(key=lambda a: a.id != question.accepted_answer_id)
    people = {question.author_id} | {a.author_id for a in answers}
    names = {s.id: s.display_name for s in db.session.scalars(select(Staff).where(Staff.id.in_(people)))}
    unit = db.session.get(PublisherUnit, question.publisher_unit_id) if question.publisher_unit_id else None
    return Thread(question, answers, names, unit.name if unit else None)


def search(principal, query: str = "", scope: str = "") -> list[Listed]:
    """The questions the principal may see, newest first (at most 50): all of them, or those whose
    title or body holds ``query`` (any case), nationally or on one publisher unit when ``scope`` says."""
    units = _member(principal)
    query = (query or "").strip()
    if len(query) > MAX_QUERY:
        raise CommunityError("q", f"search for at most {MAX_QUERY} characters")
    visible = or_(Question.publisher_unit_id.is_(None), Question.publisher_unit_id.in_(units))
    stmt = select(Question).where(visible)
    if scope == NATIONAL:
        stmt = stmt.where(Question.publisher_unit_id.is_(None))
    elif scope:
        if scope not in units:
            raise CommunityError("scope", "no such publisher unit of yours")
        stmt = stmt.where(Question.publisher_unit_id == scope)
    if query:
        pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(Question.title.ilike(pattern, escape="\\"), Question.body.ilike(pattern, escape="\\")))
    questions = list(db.session.scalars(stmt.order_by(Question.asked_at.desc(), Question.id).limit(PAGE)))
    counts = dict(db.session.execute(
        select(Answer.question_id, func.count()).where(Answer.question_id.in_([q.id for q in questions]))
        .group_by(Answer.question_id)).all()) if questions else {}
    return [Listed(q, counts.get(q.id, 0), q.accepted_answer_id is not None) for q in questions]


def _member(principal) -> set[str]:
    units = staff_rights.network_units(principal)
    if not units:
        raise CommunityForbidden("the network is for designers and publishers")
    return units
