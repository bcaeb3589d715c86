"""Registers into portfolio files: CSV and XLSX rows read through a mapping (`mapping`, `parsers`, `sources`) and
merged into the YAML files by id (`merge`), all behind `import_files` (`plan`)."""
