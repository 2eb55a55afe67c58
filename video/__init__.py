"""Video meetings (R29, R51–R56): the platform has no video service of its own, only this
integration framework. A program places a meeting step (engine/meetings.py); this package books
it with the configured vendor through an adapter (``adapter.py``: the contract, and the reference
HTTP adapter), retries with back-off while the vendor is down (``booking.py``, driven by the
scheduler and a Dramatiq actor), hands out join links only in the window around the start, and
takes the vendor's signed status callbacks (``signing.py``). ``fake_vendor.py`` is a small vendor
on localhost for the tests and the demo. Only ids and times ever go to the vendor."""
