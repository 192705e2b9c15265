"""Domain of shenbao: policy catalog, draft models, documents, packages and workspace.

Pure Python: nothing here imports Qt widgets or `desktop`, so the command line and the
tests drive it without a window. The only use of `keyring` is behind the workspace's
`KeyStore` interface (`forms.workspace.keys`), imported lazily, so a machine without a
keyring backend still loads every module.
"""
