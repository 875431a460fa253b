//! What the palette says about each component kind: a label and a one-line explanation.

/// The label of a kind.
pub fn label(kind: &str) -> &'static str {
    match kind {
        "client" => "Users",
        "load_balancer" => "Load balancer",
        "rate_limiter" => "Rate limiter",
        "service" => "Service",
        "cache" => "Cache",
        "database" => "Database",
        "replica" => "Read replica",
        "queue" => "Queue",
        "workers" => "Workers",
        "dead_letter" => "Dead-letter queue",
        "provider" => "Provider",
        _ => "Component",
    }
}

/// One line on what a kind is, for the palette's tooltip.
pub fn describe(kind: &str) -> &'static str {
    match kind {
        "client" => "People sending requests: how many per second, what they ask, when they give up and retry.",
        "load_balancer" => "Spreads requests over several services and skips the ones that crashed.",
        "rate_limiter" => "A token bucket: lets a steady rate through and answers 429 to the rest.",
        "service" => "Workers handling requests one at a time each, waiting on whatever they call.",
        "cache" => "Answers repeated reads from memory; may serve data older than the database.",
        "database" => "The source of truth: a few connections, versioned records, slow without its index.",
        "replica" => "A read-only copy of the database that lags behind it.",
        "queue" => "Holds jobs for background workers and delivers each at least once.",
        "workers" => "Background workers that take jobs from a queue; jobs can fail or run twice.",
        "dead_letter" => "Where jobs go after their last failed attempt, so nothing vanishes.",
        "provider" => "An outside service with side effects (payments, email) that counts duplicates.",
        _ => "",
    }
}

/// A short glyph drawn in the component's badge.
pub fn glyph(kind: &str) -> &'static str {
    match kind {
        "client" => "U",
        "load_balancer" => "LB",
        "rate_limiter" => "RL",
        "service" => "S",
        "cache" => "C",
        "database" => "DB",
        "replica" => "R",
        "queue" => "Q",
        "workers" => "W",
        "dead_letter" => "DLQ",
        "provider" => "$",
        _ => "?",
    }
}
