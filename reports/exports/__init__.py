"""Exports of the list pages: CSV streamed from the database, XLSX built by Celery with progress.

Each dataset (``datasets``) turns a list page's query string into the rows that page lists, through the same
filter forms and scope selectors, so an export is never more than the page shows. ``cells`` keeps spreadsheet
programs from reading a cell as a formula; ``writers`` writes CSV and XLSX from a row iterator in flat memory.
"""
