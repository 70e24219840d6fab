"""Template: a Document aligned to the national template, cell by cell.

sections: the report's six parts by their headings; labels: printed labels → canonical keys,
printed cells → numbers; printed_lines: the cell stream, row labels and the figures printed after
them (digit_runs cuts figures printed run together); section_tables: sections 2, 3 and 4 read
into printed lines; placement: which figure fills which cell under the rules (CP-SAT);
metadata + agency_name: agency, statistics year, template version; narrative: figures stated in
the prose; divisions: the administrative divisions data set; report: the whole step,
Document → ParsedReport.
May import: models, pipelines.formats.
"""
