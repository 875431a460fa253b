//! The one way every CSV the playground writes is quoted (the CLI's `run` and `sweep`, a chart's
//! download, the compare page's table): RFC 4180's rule, so any CSV reader gets the cells back as
//! they were, whatever a component's id or a design's title holds.

use std::borrow::Cow;

/// One cell: as it is, or in double quotes (inner quotes doubled) when it holds a comma, a
/// quote, a line break, or space at either end that a reader could trim.
pub fn field(text: &str) -> Cow<'_, str> {
    let needs_quotes = text.contains([',', '"', '\n', '\r'])
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace);
    if needs_quotes {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

/// One line: the cells quoted as [`field`] says, joined by commas, ending in a line feed.
pub fn record<I, S>(cells: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut line = String::new();
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push_str(&field(cell.as_ref()));
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_only_when_a_reader_would_misread_them() {
        assert_eq!(field("api"), "api");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field(" padded"), "\" padded\"");
        assert_eq!(field(""), "");
        assert_eq!(
            record(["run", "api,\"v2\"", "3"]),
            "run,\"api,\"\"v2\"\"\",3\n"
        );
        assert_eq!(record(Vec::<String>::new()), "\n");
    }
}
