shrikec validate tests/cli/rules/regex_dialect.yaml
