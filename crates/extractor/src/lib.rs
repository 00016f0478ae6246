//! casebook-extractor (being built).
