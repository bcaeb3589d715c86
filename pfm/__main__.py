"""`python -m pfm`."""

from pfm.cli import main

main()
