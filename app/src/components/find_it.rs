//! "Find it": the learner names the culprit from the components on the canvas, with a limited
//! number of guesses ([`crate::diagnosis`]). A wrong guess is answered without naming the right
//! one; the last wrong guess shows the answer, so nobody is stuck, but it is not a find.

use crate::diagnosis::{Diagnosis, Find};
use engine::Scenario;
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`FindIt`].
#[derive(Properties, PartialEq, Debug)]
pub struct FindItProps {
    /// The question and its answer.
    pub find: Rc<Find>,
    /// Whose components are offered (the lesson's or the challenge's start).
    pub start: Rc<Scenario>,
    /// Where the learner stands.
    pub diagnosis: Diagnosis,
    /// The learner settled the question, either way.
    pub on_diagnosis: Callback<Diagnosis>,
}

/// The "Find it" box.
#[function_component(FindIt)]
pub fn find_it(props: &FindItProps) -> Html {
    let choice = use_node_ref();
    // Wrong guesses so far and the last one's verdict (the state above keeps only the outcome).
    let wrong = use_state_eq(|| 0u32);
    {
        // A new lesson or challenge starts afresh.
        let wrong = wrong.clone();
        use_effect_with(props.find.clone(), move |_| wrong.set(0));
    }
    let find = &props.find;
    let check = {
        let (choice, wrong, find, diagnosis, on_diagnosis) = (
            choice.clone(),
            wrong.clone(),
            find.clone(),
            props.diagnosis,
            props.on_diagnosis.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(select) = choice.cast::<web_sys::HtmlSelectElement>() else {
                return;
            };
            let right = select.value() == find.answer;
            let next = diagnosis.after(right, *wrong + 1, find.guesses);
            if !right {
                wrong.set(*wrong + 1);
            }
            if next != diagnosis {
                on_diagnosis.emit(next);
            }
        })
    };
    let left = find.guesses.saturating_sub(*wrong);
    let verdict = match props.diagnosis {
        Diagnosis::Found(_) => Some(("pass", find.right.clone())),
        Diagnosis::Shown => {
            // The right answer's text opens "Yes: <its name>." by convention; here that is said.
            let why = find
                .right
                .strip_prefix("Yes: ")
                .and_then(|r| r.split_once(". ").map(|(_, rest)| rest))
                .unwrap_or(&find.right);
            Some((
                "fail",
                format!(
                    "Out of guesses. It was {}. {why}",
                    crate::state::display_name_of(&props.start, &find.answer)
                ),
            ))
        }
        Diagnosis::Looking if *wrong > 0 => Some((
            "fail",
            format!(
                "{} {left} guess{} left.",
                find.wrong,
                if left == 1 { "" } else { "es" }
            ),
        )),
        Diagnosis::Looking => None,
    };
    let settled = props.diagnosis.settled();
    let shown_id = match props.diagnosis {
        Diagnosis::Looking => None,
        _ => Some(find.answer.as_str()),
    };
    html! {
        <div class="find">
            <h3>{ "Find it" }</h3>
            <label class="field wide">
                <span class="field-label">{ find.question.clone() }</span>
                <select ref={choice} disabled={settled}>
                    { for props.start.components.iter().filter(|c| c.spec.kind_name() != "client").map(|c| html! {
                        <option value={c.id.clone()} selected={shown_id == Some(c.id.as_str())}>{ crate::state::display_name(c).to_string() }</option>
                    }) }
                </select>
            </label>
            if !settled {
                <button onclick={check}>{ format!("Check ({left} guess{} left)", if left == 1 { "" } else { "es" }) }</button>
            }
            if let Some((class, text)) = verdict {
                <p class={classes!("verdict", class)} role="status">{ text }</p>
            }
        </div>
    }
}
