//! casebook-aggregator (being built).
