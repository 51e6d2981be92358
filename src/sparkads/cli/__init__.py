"""The `sparkads` command: serve, migrate, account bootstrap, demo. One Typer app, a group per domain."""
