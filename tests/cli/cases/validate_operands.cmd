shrikec validate tests/cli/rules/bad_operand.yaml
