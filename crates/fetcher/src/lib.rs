//! casebook-fetcher (being built).
