shrikec explain "Root shell in container" tests/cli/rules/good.yaml
