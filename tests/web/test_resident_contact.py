"""A resident says where notifications go; bad input is explained per field and nothing is lost."""
from __future__ import annotations

from engine.db import db
from tests.web.signin import pdl_rows, post, sign_in_resident
from cli import demo_people

PAGE = "/mina-kontaktuppgifter"


def test_the_resident_saves_an_email_and_a_swedish_mobile_number(ctx):
    org = demo_people.seed()
    db.session.commit()
    anna = org.residents["anna"]
    client = sign_in_resident(ctx.test_client(), anna.id)
    response = post(client, PAGE, {"email": " anna@example.se ", "phone": "070-123 45 67"})
    assert response.status_code == 302
    db.session.refresh(anna)
    assert (anna.email, anna.phone) == ("anna@example.se", "+46701234567")
    assert "Dina kontaktuppgifter är sparade." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [r.resource_type for r in pdl_rows(resident_id=anna.id, action="update")] == ["own_contact"]


def test_bad_input_names_the_field_and_keeps_what_was_written(ctx):
    org = demo_people.seed()
    anna = org.residents["anna"]
    anna.email = "old@example.se"
    db.session.commit()
    client = sign_in_resident(ctx.test_client(), anna.id)
    response = post(client, PAGE, {"email": "inte en adress", "phone": "12"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'href="#email"' in html and 'href="#phone"' in html
    assert 'value="inte en adress"' in html and 'aria-invalid="true"' in html
    db.session.refresh(anna)
    assert anna.email == "old@example.se"


def test_emptying_both_turns_notifications_off(ctx):
    org = demo_people.seed()
    anna = org.residents["anna"]
    anna.email, anna.phone = "anna@example.se", "+46701234567"
    db.session.commit()
    client = sign_in_resident(ctx.test_client(), anna.id)
    assert post(client, PAGE, {"email": "", "phone": ""}).status_code == 302
    db.session.refresh(anna)
    assert (anna.email, anna.phone) == (None, None)


def test_staff_cannot_use_the_page(ctx):
    assert ctx.test_client().get(PAGE).status_code in (302, 401, 403)
