"""The wargame example module: damage calculator, hit simulator, event processor."""
