"""The ground floor: infrastructure every app may use and that knows no app.

Page cache and content version, Markdown and sanitising, images and the editor's
endpoints, middleware, the Jinja2 environment, the client's address, sign-in
protection, rate limits and HTTP helpers. Apps register with it (their
AppConfig.ready()); it never imports them (pyproject.toml's import contracts).
"""
