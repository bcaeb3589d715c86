"""What people read: the board pack's content, charts, templating in a sandbox, the PDF, the
views that turn results into tables, and the renderers of every output format (tables, JSON, CSV,
Markdown, CI formats).

The last stage of the library: it may import every other stage, and nothing imports it but
`pfm.cli`.
"""
