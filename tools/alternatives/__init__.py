"""Builtin-only rewrites of the APIs that fail under TFLite builtins, and their check."""
