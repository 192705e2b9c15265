"""The Qt application and the command-line entry points; the only package with widgets."""
