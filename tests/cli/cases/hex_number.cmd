shrikec validate tests/cli/rules/hex_number.yaml
