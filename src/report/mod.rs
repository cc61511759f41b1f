//! Reporters: one file per output format. Reporters format; they do not lint.

pub mod concise;
pub mod context;
pub mod fingerprint;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod rdjson;
pub mod sarif;
pub mod summary;
