"""The demo's community content (R71, R74), written as the people would through the domain: Nina,
national management, publishes the release notes of the platform's version, so every member of
staff finds one new item under News; Dora Designer has asked the national designers' network a
question that Ulf Utgivare answered and she accepted."""
from __future__ import annotations

from community import network, news
from cli.demo_publishing import _principal

RELEASE_NOTES = """## Nytt i den här versionen

- **Nyheter**: release notes och meddelanden från nationell förvaltning samlas här. Det du inte har läst är märkt *Ny*.
- **Designernätverket**: frågor och svar mellan designer, per utgivande enhet och nationellt.
- **Utbildning och stöd**: anmäl intresse för grundutbildning i Designverktyget eller be om införandestöd.
"""


def seed(org) -> None:
    nina, dora, ulf = (_principal(org.staff[key]) for key in ("nationell", "designer", "utgivare"))
    from web.shell.navigation import platform_version
    news.publish(nina, "release_notes", "Nytt i Vårdflöde", RELEASE_NOTES, version_label=_label(platform_version()))
    question = network.ask(dora, network.NATIONAL, "Hur länge ska en påminnelse vänta?",
                           "Vi funderar på om påminnelsen efter en obesvarad skattning ska komma efter en eller två veckor.")
    answer = network.answer(ulf, question.id, "Vi använder en vecka och en eskalering efter två. Se depressionsprogrammet.")
    network.accept(dora, question.id, answer.id)


def _label(version: str) -> str:
    label = "".join(c for c in version if c.isalnum() or c in "._+-")[:32]
    return label if label[:1].isalnum() else "1.0"
