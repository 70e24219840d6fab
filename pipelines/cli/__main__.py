"""`python -m pipelines.cli` runs the xxgk command."""

from pipelines.cli import main

main()
