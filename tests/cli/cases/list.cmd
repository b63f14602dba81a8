shrikec list tests/cli/rules/good.yaml
