//! gongsi: a static site generator for bilingual (Korean/English) transparency reports on
//! public programs. The binary (`src/main.rs`) is a thin command line over this library;
//! ARCHITECTURE.md walks the pipeline.

pub mod build;
pub mod cache;
pub mod charts;
pub mod config;
pub mod content;
pub mod data;
pub mod datapages;
pub mod diagnostics;
pub mod embed;
pub mod export;
pub mod feed;
pub mod format;
pub mod lang;
pub mod ledger;
pub mod links;
pub mod load;
pub mod memory;
pub mod meta;
pub mod model;
pub mod output;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod strings;
pub mod templates;
pub mod theme_files;
pub mod urls;
pub mod validate;
