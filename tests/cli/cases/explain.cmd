shrikec explain "Read sensitive file" tests/cli/rules/good.yaml
