"""safetrain: safety-training archives as TOML files, checked against
Chinese safety-training law (see safetrain.api for the library)."""

__version__ = "0.1.0"
