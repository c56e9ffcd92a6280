"""The reference receiver: what the district's website does with our pushes.

Written to be read by the district's web team as an example, run by ``make run`` so
newcomers see pushes arrive, and started by the tests. It uses the standard library
only (``http.server`` and ``sqlite3``) so it runs as a process of its own, without
Django; ``python manage.py webhook_receiver`` is a thin wrapper around it.

Read it in this order, one job per module:

- ``pushed_messages`` — the payload contract below, and parsing a body against it;
- ``received_store`` — the SQLite file: every message, and the current content;
- ``request_handler`` — one HTTP request: size limit, signature, answer codes;
- ``received_page`` — the HTML overview at ``GET /``;
- ``server`` — the threaded HTTP server and ``receiver_server()`` to start one.

For every ``POST`` (any path) it:

1. refuses bodies over 5 MB (413) before reading them into memory;
2. verifies the Standard Webhooks signature (401) and timestamp (400);
3. parses the JSON payload and checks the contract below (400);
4. refuses a ``webhook-id`` it has already stored (409 ``replayed_id``; the sender
   treats 409 as "already delivered");
5. stores the message, and makes it the page's current content only when its
   ``sequence`` is greater than the stored one, so a late retry never overwrites
   newer content (the message is kept with ``applied = 0``).

Payload contract, a JSON object::

    {"type": "page.updated" | "page.removed" | "artifact.updated" | "artifact.removed",
     "timestamp": "<ISO 8601>",
     "data": {"translation_key": str, "locale": str, "page_id": int | null,
              "sequence": int, "revision": int | null, "document": object | null}}

``artifact.updated`` announces a new file of a channel (a print PDF) in one locale:
``translation_key`` is ``"artifact:<channel>"`` (``"artifact:print"``), ``page_id``
and ``revision`` are null, ``sequence`` is the file's id (it grows with every new
file, so the same "newest sequence wins" rule applies) and ``document`` is the file's
item as ``/api/v1/artifacts/`` lists it: ``{"channel", "locale", "url", "size",
"pages", "sha256", "built_at", "build_seconds"}``. Fetch ``url`` from the delivery API
and check the bytes against ``sha256``. ``artifact.removed`` (``document`` null) says
the channel's file in that locale was taken down (a consent was withdrawn, a page made
private) and no new one is built yet: delete any copy of it.

``GET /`` lists the last 50 messages as HTML, ``GET /received.json`` returns every
message and the current content as JSON, ``GET /healthz`` answers 200.
"""
