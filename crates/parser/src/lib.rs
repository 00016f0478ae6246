//! casebook-parser (being built).
