"""Build recipes and the build-time tools build.spec and the build scripts use."""
