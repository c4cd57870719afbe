"""The built-in sample portal: a deterministic district portal with planted problems and its ground truth.

Python API (see docs/samplesite.md):
    generate_site(out_dir, as_of, seed=..., scale=..., base_url=..., anchor=...) -> Summary
    serve_in_thread(directory, host="127.0.0.1", port=None)  # context manager -> (server, thread)
    free_port()
"""

from __future__ import annotations


def __getattr__(name):
    # Lazy: `govwatch sample serve` should not pay for the planner, nor the planner for the server.
    if name in ("generate_site", "DEFAULT_BASE_URL", "DEFAULT_SEED"):
        from govwatch.samplesite import generate

        return getattr(generate, name)
    if name in ("serve_in_thread", "free_port", "make_server", "base_url_of"):
        from govwatch.samplesite import server

        return getattr(server, name)
    raise AttributeError(name)


__all__ = ["generate_site", "serve_in_thread", "free_port", "make_server", "base_url_of", "DEFAULT_BASE_URL", "DEFAULT_SEED"]
