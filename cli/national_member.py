"""``vardflode add-national-member``: the first member of national management on a new
installation, where nobody can yet sign in to add one. Later members are added on the team's own
page (/admin/nationell-forvaltning) by a member, as every grant needs someone other than its holder.

The person gets the same single-use activation link (72 hours) as on the page, by e-mail; it is
also printed, for the operator who installs the platform to hand over if no mail is sent yet."""
from __future__ import annotations

import sys

OPERATOR = "command-line"  # who granted the role, in the security log


def main(hsa_id: str, given_name: str, family_name: str, email: str, lead: bool) -> int:
    from web import create_app
    app = create_app()
    base_url = app.config.get("PUBLIC_URL")
    if not base_url:
        print("vardflode add-national-member: set VARDFLODE_PUBLIC_URL to the platform's address: the activation "
              "link is built on it", file=sys.stderr)
        return 2
    from access import directory, enrolment, national
    from engine.db import db
    with app.app_context():
        try:
            staff = national.add_member(hsa_id, given_name, family_name, email, OPERATOR)
            if lead:
                national.appoint_lead(staff.id, OPERATOR)
            token, _queued = enrolment.issue(staff, None, None, base_url=base_url)
            who = f"{staff.display_name} ({staff.hsa_id})"
            db.session.commit()
        except directory.DirectoryError as err:
            db.session.rollback()
            print(f"vardflode add-national-member: refused: {err}", file=sys.stderr)
            return 1
    print(f"{who} is a member of national management"
          + (" and its lead" if lead else "") + ".")
    print(f"Activation link (valid 72 hours, single use; also sent to {email}):")
    print(f"{base_url}/aktivera/{token}")
    return 0
