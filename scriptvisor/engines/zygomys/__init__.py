"""The Zygomys engine: reader, infix lowering, compiler to Python code, runtime, builtins."""
