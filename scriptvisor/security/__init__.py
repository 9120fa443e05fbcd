"""`scriptvisor security-test`: the sandbox-escape, DoS and hostile-frame probes as a product.

`catalog.CATALOG` lists every probe (data: how it runs, the blocked outcome, its control);
`runner.Runner` runs them against this host's real supervisor and judges each one;
`report` prints progress, the confinement layers, the tables and JSON; `command` is the
CLI subcommand. `probes` is imported by confined children (the supervisor's probe hook).
"""
