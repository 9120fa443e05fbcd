"""Tengo (d5/tengo v2) compiled to Python code objects."""
