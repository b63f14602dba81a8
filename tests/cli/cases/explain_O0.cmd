shrikec explain -O0 "Read sensitive file" tests/cli/rules/good.yaml
