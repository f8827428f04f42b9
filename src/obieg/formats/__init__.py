"""One date and number format per language, everywhere (pages, e-mails, PDFs).

Django's own Polish short date is `06-12-2026`; Polish offices, invoices and
the documents Obieg prints write `06.12.2026`, so that is Obieg's. English
pages write ISO dates (`2026-12-06`), which a Polish company's English-speaking
staff read without the US month-first trap. Templates write
`date:"SHORT_DATE_FORMAT"` / `"SHORT_DATETIME_FORMAT"`, never a pattern of
their own; settings.FORMAT_MODULE_PATH points here, and whatever a module
does not set comes from Django's formats for the language.
"""
