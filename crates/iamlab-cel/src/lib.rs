//! CEL engine (filled by the CEL issue).
