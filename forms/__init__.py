"""Domain of shenbao: policy catalog, draft models, documents and packages.

Pure Python: nothing here imports Qt widgets, keyring or `desktop`, so the command
line and the tests drive it without a window.
"""
