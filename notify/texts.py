"""The only texts a notification can carry: fixed per kind and locale.

An e-mail or SMS leaves our control (shared phones, lock screens, work inboxes), so it says only
that something waits in Vårdflöde: never a name, a program, a diagnosis or a clinician's words.
``compose`` takes a kind and a locale and nothing else, so no caller can slip free text in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_LOCALE = "sv"

# kind -> locale -> (subject, body). The body alone is the SMS; e-mails add FOOTER.
_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "new_message": {
        "sv": ("Nytt meddelande i Vårdflöde",
               "Du har ett nytt meddelande i Vårdflöde. Logga in för att läsa det."),
        "en": ("New message in Vårdflöde",
               "You have a new message in Vårdflöde. Sign in to read it."),
    },
    "new_task": {
        "sv": ("Ny uppgift i Vårdflöde",
               "Du har en ny uppgift i Vårdflöde. Logga in för att se den."),
        "en": ("New task in Vårdflöde",
               "You have a new task in Vårdflöde. Sign in to see it."),
    },
    "new_feedback": {
        "sv": ("Ny återkoppling i Vårdflöde",
               "Din behandlare har gett dig återkoppling i Vårdflöde. Logga in för att läsa den."),
        "en": ("New feedback in Vårdflöde",
               "Your clinician has given you feedback in Vårdflöde. Sign in to read it."),
    },
    "priority_task": {
        "sv": ("Prioriterad uppgift i Vårdflöde",
               "En prioriterad uppgift väntar på dig i Vårdflöde. Logga in för att se den."),
        "en": ("Priority task in Vårdflöde",
               "A priority task is waiting for you in Vårdflöde. Sign in to see it."),
    },
    "handover": {
        "sv": ("Ny invånare till er enhet i Vårdflöde",
               "En invånare har lämnats över till er enhet i Vårdflöde. Logga in för att ta över."),
        "en": ("New resident for your unit in Vårdflöde",
               "A resident has been handed over to your unit in Vårdflöde. Sign in to take over."),
    },
    "questionnaire_due": {
        "sv": ("Ett formulär väntar i Vårdflöde",
               "Du har ett formulär att svara på i Vårdflöde. Logga in för att svara."),
        "en": ("A questionnaire is waiting in Vårdflöde",
               "You have a questionnaire to answer in Vårdflöde. Sign in to answer it."),
    },
    "reminder": {
        "sv": ("Påminnelse från Vårdflöde",
               "Något väntar på dig i Vårdflöde. Logga in för att se vad."),
        "en": ("Reminder from Vårdflöde",
               "Something is waiting for you in Vårdflöde. Sign in to see what."),
    },
    # Incidents (R57–R62): the reporter hears that their case moved on, national management that a
    # case came in; what happened stays in the platform.
    "incident_update": {
        "sv": ("Ditt avvikelseärende har gått vidare",
               "Ditt avvikelseärende i Vårdflöde har gått vidare. Logga in för att se var det står."),
        "en": ("Your incident report has moved on",
               "Your incident report in Vårdflöde has moved on. Sign in to see where it stands."),
    },
    "incident_reported": {
        "sv": ("Ny avvikelse i Vårdflöde",
               "En ny avvikelse har rapporterats i Vårdflöde. Logga in för att se den."),
        "en": ("New incident in Vårdflöde",
               "A new incident has been reported in Vårdflöde. Sign in to see it."),
    },
    # Support cases (R63–R69): the handlers hear that a case waits for them, the requester that it
    # was answered; the question and the answer stay in the platform.
    "support_case_new": {
        "sv": ("Nytt supportärende i Vårdflöde",
               "Ett supportärende väntar på svar i Vårdflöde. Logga in för att se det."),
        "en": ("New support case in Vårdflöde",
               "A support case is waiting for an answer in Vårdflöde. Sign in to see it."),
    },
    "support_case_update": {
        "sv": ("Ditt supportärende har fått svar",
               "Ditt supportärende i Vårdflöde har fått svar. Logga in för att läsa det."),
        "en": ("Your support case has been answered",
               "Your support case in Vårdflöde has been answered. Sign in to read the answer."),
    },
    "community_request": {
        "sv": ("Ny förfrågan i Vårdflöde",
               "En ny förfrågan om utbildning eller införandestöd har kommit in i Vårdflöde. Logga in för att se den."),
        "en": ("New request in Vårdflöde",
               "A new request for training or implementation support has come in to Vårdflöde. Sign in to see it."),
    },
    "community_reply": {
        "sv": ("Svar på din förfrågan i Vårdflöde",
               "Nationell förvaltning har svarat på din förfrågan i Vårdflöde. Logga in för att läsa svaret."),
        "en": ("Reply to your request in Vårdflöde",
               "National management has replied to your request in Vårdflöde. Sign in to read the reply."),
    },
}

FOOTER = {
    "sv": "Det här meddelandet skickas automatiskt och går inte att svara på.",
    "en": "This message is sent automatically. Replies are not read.",
}

KINDS = frozenset(_TEXTS)
LOCALES = frozenset(FOOTER)


@dataclass(frozen=True)
class Text:
    locale: str
    subject: str
    body: str

    @property
    def email_body(self) -> str:
        return f"{self.body}\n\n{FOOTER[self.locale]}\n"

    @property
    def sms_body(self) -> str:
        return self.body


# The enrolment e-mail is the one text that carries something besides fixed words: the link the
# person activates their account with, built by access.enrolment from a random token and nothing
# else, and its validity in hours. It names no person and no care.
_ENROLMENT = {
    "sv": ("Aktivera ditt konto i Vårdflöde",
           "Ett konto har skapats åt dig i Vårdflöde. Öppna länken för att välja lösenord och koppla "
           "din autentiseringsapp:\n\n{link}\n\nLänken gäller i {hours} timmar och kan användas en gång."),
    "en": ("Activate your Vårdflöde account",
           "An account has been created for you in Vårdflöde. Open the link to choose a password and "
           "connect your authenticator app:\n\n{link}\n\nThe link is valid for {hours} hours and can be used once."),
}
_LINK = re.compile(r"^https?://[A-Za-z0-9.:\[\]-]+/aktivera/[A-Za-z0-9_-]{40,100}$")


def compose_enrolment(locale: str | None, link: str, hours: int, /) -> Text:
    """The enrolment e-mail: fixed words around an activation link (checked to be exactly that)."""
    if not (isinstance(link, str) and _LINK.match(link)) or not isinstance(hours, int):
        raise ValueError("an enrolment text takes an activation link and a number of hours only")
    chosen = locale_for(locale)
    subject, body = _ENROLMENT[chosen]
    return Text(chosen, subject, body.format(link=link, hours=hours))


def locale_for(locale: str | None) -> str:
    """A supported locale; anything else (None, "de", "sv-SE") falls back to Swedish."""
    if isinstance(locale, str) and locale[:2].lower() in LOCALES:
        return locale[:2].lower()
    return DEFAULT_LOCALE


def compose(kind: str, locale: str | None = DEFAULT_LOCALE, /) -> Text:
    """The fixed text for ``kind`` in ``locale``. Positional-only and exactly two arguments: there
    is deliberately no way to pass a name or other words in."""
    if kind not in _TEXTS:
        # The value is not echoed: a caller passing free text here must not get it into a log.
        raise ValueError(f"unknown notification kind; known: {', '.join(sorted(KINDS))}")
    chosen = locale_for(locale)
    subject, body = _TEXTS[kind][chosen]
    return Text(chosen, subject, body)
