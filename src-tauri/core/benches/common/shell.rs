//! The `sqlite3` shell as a yardstick: a pass of `CREATE TEMP TABLE … AS SELECT …` statements
//! run once to warm its cache, then three times timed by its own `.timer` (for the benches that
//! compare a pass of Loupe's with the equivalent queries).

use std::path::Path;
use std::time::Duration;

/// The median of three timed passes of `statements`, each pass's statements added up; None when
/// the machine has no `sqlite3` shell. Each statement creates one TEMP table, dropped between
/// passes.
pub fn timed_passes(book: &Path, statements: &[String]) -> Option<Duration> {
    let drops: Vec<String> = statements
        .iter()
        .filter_map(|statement| {
            let table = statement.strip_prefix("CREATE TEMP TABLE ")?.split_whitespace().next()?;
            Some(format!("DROP TABLE IF EXISTS temp.{table};"))
        })
        .collect();
    let (pass, drops) = (statements.join("\n"), drops.join("\n"));
    let timed = format!(".timer on\n{pass}\n.timer off\n{drops}");
    let script = format!("PRAGMA cache_size=-65536;\n{pass}\n{drops}\n{timed}\n{timed}\n{timed}\n");
    let mut child = std::process::Command::new("sqlite3")
        .arg(book)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    std::io::Write::write_all(child.stdin.as_mut()?, script.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    // ".timer on" prints "Run Time: real 0.471 user … sys …" after each statement of a pass.
    let times: Vec<Duration> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_prefix("Run Time: real ")?.split_whitespace().next()?.parse().ok())
        .map(Duration::from_secs_f64)
        .collect();
    let mut passes: Vec<Duration> = times
        .chunks(statements.len())
        .filter(|pass| pass.len() == statements.len())
        .map(|pass| pass.iter().sum())
        .collect();
    passes.sort();
    passes.get(passes.len() / 2).copied()
}
