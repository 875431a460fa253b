//! Which part of a sweep this process runs: `--shard I/N`, or the index a batch system gives
//! each of its parallel tasks in the environment, so the same command line serves every task.

/// `I/N`: the runs whose number is I modulo N (I from 0 to N-1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shard {
    /// This shard's number, from 0.
    pub index: usize,
    /// How many shards.
    pub count: usize,
}

/// The most shards a sweep may be split into (a sweep holds at most this many runs anyway).
pub const MAX_SHARDS: usize = crate::sweep::MAX_RUNS;

/// Reads `I/N`.
pub fn parse_shard(text: &str) -> Result<Shard, String> {
    let (i, n) = text
        .split_once('/')
        .ok_or_else(|| format!("{text:?}: expected I/N, e.g. 0/4"))?;
    let number = |t: &str| {
        t.trim()
            .parse::<usize>()
            .map_err(|_| format!("{t:?} is not a whole number"))
    };
    shard(number(i)?, number(n)?).map_err(|e| format!("{text:?}: {e}"))
}

fn shard(index: usize, count: usize) -> Result<Shard, String> {
    if count == 0 || count > MAX_SHARDS {
        return Err(format!(
            "the number of shards must be from 1 to {MAX_SHARDS}, not {count}"
        ));
    }
    if index >= count {
        return Err(format!(
            "shard {index} does not exist: with {count} shards they are numbered 0 to {}",
            count - 1
        ));
    }
    Ok(Shard { index, count })
}

/// How one batch system names a task's place in its array.
struct Convention {
    /// Who sets these variables.
    system: &'static str,
    /// The task's index.
    index: &'static str,
    /// What the first task's index is (GitLab counts from 1).
    first: usize,
    /// The number of tasks, where the system says it; otherwise `--shards` or `PLAYGROUND_SHARDS`.
    count: Option<&'static str>,
}

/// In the order they are looked for: the first whose index variable is set is used.
const CONVENTIONS: [Convention; 6] = [
    Convention {
        system: "a Kubernetes Indexed Job",
        index: "JOB_COMPLETION_INDEX",
        first: 0,
        count: None,
    },
    Convention {
        system: "a Slurm job array",
        index: "SLURM_ARRAY_TASK_ID",
        first: 0,
        count: Some("SLURM_ARRAY_TASK_COUNT"),
    },
    Convention {
        system: "an AWS Batch array job",
        index: "AWS_BATCH_JOB_ARRAY_INDEX",
        first: 0,
        count: None,
    },
    Convention {
        system: "GitLab CI's parallel jobs",
        index: "CI_NODE_INDEX",
        first: 1,
        count: Some("CI_NODE_TOTAL"),
    },
    Convention {
        system: "CircleCI's parallelism",
        index: "CIRCLE_NODE_INDEX",
        first: 0,
        count: Some("CIRCLE_NODE_TOTAL"),
    },
    Convention {
        system: "Buildkite's parallel jobs",
        index: "BUILDKITE_PARALLEL_JOB",
        first: 0,
        count: Some("BUILDKITE_PARALLEL_JOB_COUNT"),
    },
];

/// The variable that gives the number of shards where the batch system does not.
pub const SHARDS_VARIABLE: &str = "PLAYGROUND_SHARDS";

/// The shard the environment gives (`get` reads a variable), with a sentence saying where it
/// came from; `None` when no batch system's index is set. `shards` is `--shards N`.
pub fn from_env(
    get: &dyn Fn(&str) -> Option<String>,
    shards: Option<usize>,
) -> Result<Option<(Shard, String)>, String> {
    let number = |name: &str, value: &str| {
        value
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("{name}={value:?} is not a whole number"))
    };
    let Some((c, raw)) = CONVENTIONS
        .iter()
        .find_map(|c| get(c.index).map(|v| (c, v)))
    else {
        return match shards {
            Some(n) => Err(format!(
                "--shards {n} is given but no shard index is: pass --shard I/N, or run under a \
                 batch system that sets one of {}",
                CONVENTIONS.map(|c| c.index).join(", ")
            )),
            None => Ok(None),
        };
    };
    let given = number(c.index, &raw)?;
    let mut index = given
        .checked_sub(c.first)
        .ok_or_else(|| format!("{}={given}: {} count from {}", c.index, c.system, c.first))?;
    // A Slurm array may start anywhere and step (`--array=1-100`, `--array=0-30:10`).
    if c.index == "SLURM_ARRAY_TASK_ID" {
        let min = get("SLURM_ARRAY_TASK_MIN")
            .map(|v| number("SLURM_ARRAY_TASK_MIN", &v))
            .transpose()?
            .unwrap_or(0);
        let step = get("SLURM_ARRAY_TASK_STEP")
            .map(|v| number("SLURM_ARRAY_TASK_STEP", &v))
            .transpose()?
            .unwrap_or(1)
            .max(1);
        let offset = given
            .checked_sub(min)
            .filter(|o| o % step == 0)
            .ok_or_else(|| {
                format!(
                    "SLURM_ARRAY_TASK_ID={given} is not on the array's range (from \
                 SLURM_ARRAY_TASK_MIN={min} in steps of {step}): submit the array as a range, \
                 e.g. --array=0-9"
                )
            })?;
        index = offset / step;
    }
    let from_system = c
        .count
        .and_then(|name| get(name).map(|v| (name, v)))
        .map(|(name, v)| number(name, &v).map(|n| (name, n)))
        .transpose()?;
    let from_user = match shards {
        Some(n) => Some(("--shards".to_string(), n)),
        None => get(SHARDS_VARIABLE)
            .map(|v| number(SHARDS_VARIABLE, &v).map(|n| (SHARDS_VARIABLE.to_string(), n)))
            .transpose()?,
    };
    let count = match (from_system, from_user) {
        (Some((name, a)), Some((user, b))) if a != b => {
            return Err(format!(
                "{name}={a} but {user} says {b}: give the number of shards once"
            ))
        }
        (Some((_, n)), _) | (None, Some((_, n))) => n,
        (None, None) => {
            return Err(format!(
                "{}={given} says which shard this is ({}), but not how many there are: pass \
                 --shards N or set {SHARDS_VARIABLE} (the Job's completions, the array's size)",
                c.index, c.system
            ))
        }
    };
    let shard = shard(index, count).map_err(|e| format!("{}={given}: {e}", c.index))?;
    let told = format!("{}={given} ({})", c.index, c.system);
    Ok(Some((shard, told)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn shard_of(pairs: &[(&str, &str)], shards: Option<usize>) -> Result<Option<Shard>, String> {
        from_env(&env(pairs), shards).map(|s| s.map(|(s, _)| s))
    }

    const fn s(index: usize, count: usize) -> Option<Shard> {
        Some(Shard { index, count })
    }

    #[test]
    fn shards_are_read_from_zero() {
        assert_eq!(parse_shard("0/4"), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(parse_shard("3/4"), Ok(Shard { index: 3, count: 4 }));
        assert!(parse_shard("4/4").is_err_and(|e| e.contains("numbered 0 to 3")));
        assert!(parse_shard("0/0").is_err());
        assert!(parse_shard("a/b").is_err());
        assert!(parse_shard(&format!("0/{}", MAX_SHARDS + 1)).is_err());
    }

    #[test]
    fn each_batch_systems_index_is_read_in_its_own_convention() {
        assert_eq!(shard_of(&[], None), Ok(None));
        // Kubernetes and AWS Batch say only the index; the count comes from us.
        assert_eq!(
            shard_of(&[("JOB_COMPLETION_INDEX", "3")], Some(4)),
            Ok(s(3, 4))
        );
        assert_eq!(
            shard_of(
                &[("JOB_COMPLETION_INDEX", "3"), ("PLAYGROUND_SHARDS", "10")],
                None
            ),
            Ok(s(3, 10))
        );
        assert_eq!(
            shard_of(&[("AWS_BATCH_JOB_ARRAY_INDEX", "0")], Some(2)),
            Ok(s(0, 2))
        );
        // GitLab counts from 1.
        assert_eq!(
            shard_of(&[("CI_NODE_INDEX", "1"), ("CI_NODE_TOTAL", "4")], None),
            Ok(s(0, 4))
        );
        assert_eq!(
            shard_of(&[("CI_NODE_INDEX", "4"), ("CI_NODE_TOTAL", "4")], None),
            Ok(s(3, 4))
        );
        assert_eq!(
            shard_of(
                &[("CIRCLE_NODE_INDEX", "2"), ("CIRCLE_NODE_TOTAL", "3")],
                None
            ),
            Ok(s(2, 3))
        );
        assert_eq!(
            shard_of(
                &[
                    ("BUILDKITE_PARALLEL_JOB", "0"),
                    ("BUILDKITE_PARALLEL_JOB_COUNT", "5")
                ],
                None
            ),
            Ok(s(0, 5))
        );
        // Slurm: from 0, from 1, and in steps.
        let slurm = |id: &str, min: &str, step: &str, count: &str| {
            shard_of(
                &[
                    ("SLURM_ARRAY_TASK_ID", id),
                    ("SLURM_ARRAY_TASK_MIN", min),
                    ("SLURM_ARRAY_TASK_STEP", step),
                    ("SLURM_ARRAY_TASK_COUNT", count),
                ],
                None,
            )
        };
        assert_eq!(slurm("0", "0", "1", "10"), Ok(s(0, 10)));
        assert_eq!(slurm("10", "1", "1", "10"), Ok(s(9, 10)));
        assert_eq!(slurm("20", "0", "10", "4"), Ok(s(2, 4)));
        assert!(slurm("15", "0", "10", "4").is_err_and(|e| e.contains("not on the array's range")));
        // GitLab sets CI_NODE_TOTAL=1 on every job: without an index it is not a shard.
        assert_eq!(shard_of(&[("CI_NODE_TOTAL", "1")], None), Ok(None));
    }

    #[test]
    fn a_missing_or_contradicting_count_and_a_bad_index_are_named() {
        let err = shard_of(&[("JOB_COMPLETION_INDEX", "3")], None).unwrap_err();
        assert!(
            err.contains("--shards N") && err.contains("JOB_COMPLETION_INDEX=3"),
            "{err}"
        );
        let err = shard_of(&[("JOB_COMPLETION_INDEX", "4")], Some(4)).unwrap_err();
        assert!(err.contains("numbered 0 to 3"), "{err}");
        let err = shard_of(&[("JOB_COMPLETION_INDEX", "x")], Some(4)).unwrap_err();
        assert!(
            err.contains("JOB_COMPLETION_INDEX=\"x\" is not a whole number"),
            "{err}"
        );
        let err = shard_of(&[("CI_NODE_INDEX", "0"), ("CI_NODE_TOTAL", "4")], None).unwrap_err();
        assert!(err.contains("count from 1"), "{err}");
        let err = shard_of(&[("CI_NODE_INDEX", "1"), ("CI_NODE_TOTAL", "4")], Some(5)).unwrap_err();
        assert!(err.contains("CI_NODE_TOTAL=4 but --shards says 5"), "{err}");
        let err = shard_of(&[], Some(4)).unwrap_err();
        assert!(err.contains("no shard index"), "{err}");
    }
}
