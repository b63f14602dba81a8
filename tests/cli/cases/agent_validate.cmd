shrike-agent -c /dev/null -V tests/cli/rules/good.yaml; shrike-agent -c /dev/null -V tests/cli/rules/good.yaml --validate tests/cli/rules/bad_operand.yaml
