//! A small Markdown subset for lesson text, rendered to Yew nodes (never to HTML strings, so
//! nothing in a lesson can inject markup): `##` headings, paragraphs, `1.` and `-` lists,
//! `**bold**`, `*emphasis*` and `` `code` ``.

use yew::prelude::*;

/// Renders lesson text.
pub fn render(text: &str) -> Html {
    let mut out = Vec::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<&str> = block.lines().map(str::trim).collect();
        if let Some(h) = block.strip_prefix("## ") {
            out.push(html! { <h3>{ inline(h) }</h3> });
        } else if lines
            .iter()
            .all(|l| l.starts_with("- ") || is_numbered(l) || !l.is_empty())
            && (lines[0].starts_with("- ") || is_numbered(lines[0]))
        {
            let ordered = is_numbered(lines[0]);
            let mut items: Vec<String> = Vec::new();
            for l in lines {
                if l.starts_with("- ") || is_numbered(l) {
                    let body = l.split_once(' ').map_or("", |(_, rest)| rest);
                    items.push(body.to_string());
                } else if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(l);
                }
            }
            let lis = items.iter().map(|i| html! { <li>{ inline(i) }</li> });
            out.push(if ordered {
                html! { <ol>{ for lis }</ol> }
            } else {
                html! { <ul>{ for lis }</ul> }
            });
        } else {
            out.push(html! { <p>{ inline(&lines.join(" ")) }</p> });
        }
    }
    html! { <>{ for out }</> }
}

fn is_numbered(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && line[digits..].starts_with(". ")
}

/// Splits a line into text, bold, emphasis and code runs.
pub fn spans(text: &str) -> Vec<(Style, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let next = [
            ("**", Style::Bold),
            ("`", Style::Code),
            ("*", Style::Emphasis),
        ]
        .iter()
        .filter_map(|(mark, style)| {
            let start = rest.find(mark)?;
            let end = rest[start + mark.len()..].find(mark)? + start + mark.len();
            Some((start, end, mark.len(), *style))
        })
        .min_by_key(|(start, _, len, _)| (*start, usize::MAX - len));
        match next {
            Some((start, end, len, style)) => {
                if start > 0 {
                    out.push((Style::Plain, rest[..start].to_string()));
                }
                out.push((style, rest[start + len..end].to_string()));
                rest = &rest[end + len..];
            }
            None => {
                out.push((Style::Plain, rest.to_string()));
                break;
            }
        }
    }
    out
}

/// How a run of text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain text.
    Plain,
    /// Bold.
    Bold,
    /// Emphasis.
    Emphasis,
    /// Code.
    Code,
}

fn inline(text: &str) -> Html {
    html! {
        <>{ for spans(text).into_iter().map(|(style, t)| match style {
            Style::Plain => html! { { t } },
            Style::Bold => html! { <strong>{ t }</strong> },
            Style::Emphasis => html! { <em>{ t }</em> },
            Style::Code => html! { <code>{ t }</code> },
        }) }</>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_styles_split_cleanly() {
        let s = spans("Press **Play**, read `GET /items` and *watch*.");
        assert_eq!(
            s,
            vec![
                (Style::Plain, "Press ".into()),
                (Style::Bold, "Play".into()),
                (Style::Plain, ", read ".into()),
                (Style::Code, "GET /items".into()),
                (Style::Plain, " and ".into()),
                (Style::Emphasis, "watch".into()),
                (Style::Plain, ".".into()),
            ]
        );
        assert_eq!(spans("a * b"), vec![(Style::Plain, "a * b".into())]);
        assert_eq!(
            spans("<script>x</script>"),
            vec![(Style::Plain, "<script>x</script>".into())]
        );
    }
}
