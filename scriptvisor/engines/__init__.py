"""Language engines: each compiles a script once and executes the compiled form."""
