shrikec validate --json tests/unit/diag/undef_macro.yaml
