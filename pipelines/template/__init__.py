"""Template: a Document aligned to the national template, cell by cell.

Owns the report's parts (sections), label matching (labels), the figures printed after each
label (printed_lines), which figure fills which cell under the rules (placement), agency / year /
template version (metadata), figures stated in the prose (narrative), the administrative
divisions data set (divisions), and the whole step, file → ParsedReport (report).
May import: models, pipelines.formats.
"""
