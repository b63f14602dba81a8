shrikec compile -O2 tests/cli/rules/good.yaml -o /tmp/shrike-cli-test.tbl
