shrikec explain "Open or ptrace entry" tests/cli/rules/direction.yaml
