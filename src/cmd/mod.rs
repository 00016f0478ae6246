//! One module per command.

pub mod eval;
pub mod extract;
pub mod fetch;
pub mod parse;
pub mod rules;
pub mod screen;
pub mod snapshot;
pub mod table;
pub mod text;
pub mod update;
