"""The platform's news (R74): every member of staff reads release notes and announcements, each
new one marked until they open it (the header shows how many); national management writes them in
Markdown, shown through the same safe subset as designers' texts (web/programs/instructions.py).
community/news.py holds the rules; these views parse, call it once and render."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from access import staff_rights
from community import news
from community.errors import CommunityError, CommunityForbidden
from engine.db import db
from web.community.common import install_labels, message
from web.programs.instructions import render as markdown
from web.shell import navigation
from web.shell.screens import not_found, refuse, signed_in_staff

bp = Blueprint("community_news", __name__, template_folder="templates")
install_labels(bp)
navigation.BADGES["community_news.index"] = news.unread_count


def _reader():
    principal = signed_in_staff()
    if not staff_rights.may_read_news(principal):
        refuse(principal, "news are for staff signed in as themselves")
    return principal


def _writer():
    principal = _reader()
    if not staff_rights.may_write_news(principal):
        refuse(principal, "needs nationell_forvaltning")
    return principal


@bp.get("/nyheter")
def index():
    principal = _reader()
    return render_template("community/news.html", items=news.listing(principal),
                           may_write=staff_rights.may_write_news(principal))


@bp.get("/nyheter/<news_id>")
def item(news_id: str):
    principal = _reader()
    try:
        found = news.open_item(principal, news_id)
    except CommunityError:
        not_found(principal, "news item")
    return render_template("community/news_item.html", item=found, body=markdown(found.body))


@bp.get("/nyheter/ny")
def new():
    _writer()
    return render_template("community/news_new.html", form={})


@bp.post("/nyheter/ny")
def publish():
    principal = _writer()
    form = request.form
    try:
        found = news.publish(principal, form.get("kind", ""), form.get("title", ""), form.get("body", ""),
                             form.get("version_label", ""), request_id=g.request_id)
    except CommunityError as err:
        db.session.rollback()
        return render_template("community/news_new.html", form=form, error=message(err), field=err.code), 400
    except CommunityForbidden:
        refuse(principal, "needs nationell_forvaltning")
    return redirect(url_for("community_news.item", news_id=found.id), 303)
