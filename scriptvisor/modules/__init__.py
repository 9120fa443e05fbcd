"""Example application modules that embed scripts."""
