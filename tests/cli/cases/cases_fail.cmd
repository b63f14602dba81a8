shrikec test --cases tests/cli/testcases/fails.yaml
