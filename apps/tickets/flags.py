"""Notes the apps above tickets put on a ticket's page, without tickets importing them.

An app registers a function ``flags(ticket, user) -> [(text, url or "")]`` in its
``AppConfig.ready``; the ticket's page shows what each returns (a matter under dispute,
say, is handled meanwhile by the first-receiver rule).
"""

_FLAGGERS = []


def register(flagger) -> None:
    if flagger not in _FLAGGERS:
        _FLAGGERS.append(flagger)


def flags_for(ticket, user) -> list[tuple[str, str]]:
    return [flag for flagger in _FLAGGERS for flag in flagger(ticket, user)]
