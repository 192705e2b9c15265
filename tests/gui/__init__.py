"""The Qt tests: real widgets, offscreen."""
