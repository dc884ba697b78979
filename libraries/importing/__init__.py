"""Registry imports: libraries and people of one province from a CSV or XLSX file, as provinces keep them.

Upload → column mapping with a preview → check every row (Celery) → apply all or nothing (Celery) → summary.
Nothing is written to the registry before the apply, and the apply runs in one transaction.

- ``columns``: the fields of each kind, their header aliases, the guessed mapping.
- ``files``: the stored upload, read as a stream (``plm_portal.spreadsheets``): header, preview, records.
- ``places``, ``people``, ``library_rows``: what one chunk of rows means, a few queries per chunk.
- ``pipeline``: the check and the apply over the chunks, progress, the row issues kept.
- ``services`` (writes the job rows), ``selectors`` (reads them, scoped), ``forms``.
"""
