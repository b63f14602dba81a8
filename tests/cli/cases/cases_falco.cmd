set -o pipefail; shrikec test --cases tests/cases/falco/falco_tests.yaml | tail -1
