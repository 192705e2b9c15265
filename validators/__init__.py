"""Offline rules: pure functions from a draft (and the catalog) to findings.

No Qt, no keyring, no file dialogs: the command line, the wizard and the tests call
the same functions and display the same findings.
"""
