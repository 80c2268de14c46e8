"""`python -m haven` runs the command line."""

from haven.cli import main

main()
