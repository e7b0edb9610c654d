#!/usr/bin/python3
"""Imports the modules named on the command line and exits: the start-up floor of a Python
health check (interpreter start plus its imports, no work).

    /usr/bin/python3 import_only.py requests celery
"""

import importlib
import sys

for name in sys.argv[1:]:
    importlib.import_module(name)
