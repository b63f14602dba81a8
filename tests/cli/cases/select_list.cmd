shrikec list -D below -T network tests/cli/rules/selection.yaml
