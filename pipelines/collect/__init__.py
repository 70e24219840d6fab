"""Collect: reports fetched from where they are published into the raw folder, politely and with
provenance.

sources: the sources list (sources.csv: agency,url and optional columns); pages: what a fetched
page is (its text in the right encoding, a login page or captcha instead of a report, the links
to reports, to the next listing page and to attachments); fetcher: HTTP with robots.txt, one
request at a time per host with a delay, conditional GET, retries of timeouts and 5xx, a per-run
budget; raw_store: the files written into the raw folder, its manifest.csv and the fetch log;
run: `collect`, one night's visit of every source.

Comes before the build: it may import models and pipelines.ingest.raw_folder (whose manifest.csv
and fetch log it writes); only defs and cli import it.
"""
