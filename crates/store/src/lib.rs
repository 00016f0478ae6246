//! casebook-store (being built).
