shrikec validate tests/unit/diag/undef_macro.yaml
