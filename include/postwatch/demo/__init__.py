"""The offline demo: a local HTTP server replaying recorded platform responses."""
