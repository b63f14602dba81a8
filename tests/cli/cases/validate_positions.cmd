shrikec validate tests/cli/rules/bad_positions.yaml
