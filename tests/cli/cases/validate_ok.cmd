shrikec validate tests/cli/rules/good.yaml
