shrikec test --cases --json tests/cli/testcases/fails.yaml tests/cli/testcases/holds.yaml 2>/dev/null | sed -E "s/(\"time\": )[0-9.e-]+/\1T/"
