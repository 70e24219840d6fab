"""Collecting: reports fetched from where they are published into the raw folder, each night."""
