//! `playground workshop` as a room meets it, over HTTP on 127.0.0.1 only, bounded in count and
//! time: fifty participants join, predict and answer at once and every answer is verified by the
//! server's own run; the server killed with SIGKILL mid-run and started again has every
//! acknowledged answer back, none twice; hostile requests (oversized, malformed, forged, another's
//! token, paths out of the folder, a burst) get clear statuses and the server keeps serving.
#![allow(clippy::expect_used, clippy::unwrap_used)] // A test may stop at the first broken expectation.
#![allow(clippy::disallowed_methods)] // Participants are threads; the server's runs are its own.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    dir
}

fn lesson(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../lessons/01-paid-twice")
        .join(file);
    std::fs::read_to_string(path).expect("lesson 1")
}

/// A stand-in for the built app: the server only serves its files.
fn dist() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("workshop-dist");
    std::fs::create_dir_all(&dir).expect("a folder");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>app</title>").expect("write");
    dir
}

/// A running server and its port; killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data: Option<&PathBuf>, rate: &str) -> Server {
    let dist = dist();
    let mut args = vec![
        "workshop".to_string(),
        "--port".into(),
        "0".into(),
        "--dist".into(),
        dist.display().to_string(),
        "--rate".into(),
        rate.into(),
    ];
    if let Some(d) = data {
        args.extend(["--data".into(), d.display().to_string()]);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_playground"))
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    out.read_line(&mut first).expect("its address");
    // Keep reading what it prints, so its writes never meet a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let port = first
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.trim_end_matches('/').parse().ok())
        .unwrap_or_else(|| panic!("an address in {first:?}"));
    Server { child, port }
}

/// One request; returns the status and the body. Every request ends within ten seconds.
fn http(port: u16, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // A body the server refuses part-way may close the connection before it is all sent.
    let _ = s.write_all(body.as_bytes());
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

fn post(port: u16, path: &str, body: &Value) -> (u16, Value) {
    let (status, text) = http(port, "POST", path, &body.to_string());
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn get(port: u16, path: &str) -> (u16, Value) {
    let (status, text) = http(port, "GET", path, "");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn open_room(port: u16) -> (String, String) {
    let (status, room) = post(
        port,
        "/api/rooms",
        &json!({ "title": "Paid twice", "start": lesson("start.json"), "seed": 3,
                 "choices": ["under 1%", "about 10%"], "question": "How many paid twice?",
                 "challenge": "challenge=opaque-to-the-server" }),
    );
    assert_eq!(status, 200, "{room}");
    (
        room["room"].as_str().unwrap().to_string(),
        room["facilitator_token"].as_str().unwrap().to_string(),
    )
}

#[test]
fn fifty_participants_join_predict_and_answer_at_once_and_every_answer_is_verified() {
    let server = start(None, "1000");
    let port = server.port;
    let (room, facilitator) = open_room(port);
    // The facilitator follows the room live.
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        events,
        "GET /api/rooms/{room}/events?token={facilitator} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut line = String::new();
    events.read_line(&mut line).unwrap();
    assert!(line.contains("200"), "{line}");
    let (solution, start_design) = (lesson("solution.json"), lesson("start.json"));
    let people: Vec<_> = (0..50)
        .map(|i| {
            let (room, design) = (
                room.clone(),
                if i % 2 == 0 {
                    solution.clone()
                } else {
                    start_design.clone()
                },
            );
            std::thread::spawn(move || {
                let (s, me) = post(
                    port,
                    &format!("/api/rooms/{room}/join"),
                    &json!({ "name": format!("P{i}") }),
                );
                assert_eq!(s, 200, "{me}");
                let token = me["token"].as_str().unwrap().to_string();
                let (s, _) = post(
                    port,
                    &format!("/api/rooms/{room}/predict"),
                    &json!({ "token": token, "choice": i % 2 }),
                );
                assert_eq!(s, 200);
                // A forged claim beside the design is not read.
                let (s, got) = post(
                    port,
                    &format!("/api/rooms/{room}/answers"),
                    &json!({ "token": token, "design": design, "verdict": { "passed": true } }),
                );
                assert_eq!(s, 200, "{got}");
                (i, got["verdict"]["passed"].as_bool().unwrap())
            })
        })
        .collect();
    for p in people {
        let (i, passed) = p.join().expect("a participant");
        assert_eq!(
            passed,
            i % 2 == 0,
            "P{i}: the solution passes, the start does not"
        );
    }
    let (s, view) = get(port, &format!("/api/rooms/{room}?token={facilitator}"));
    assert_eq!(s, 200);
    let list = view["participants"].as_array().unwrap();
    assert_eq!(list.len(), 50);
    assert!(list
        .iter()
        .all(|p| p["answers"].as_array().unwrap().len() == 1));
    assert_eq!(view["spread"], json!([25, 25]));
    // Every answer arrived as an event.
    let mut answered = 0;
    while answered < 50 {
        line.clear();
        events.read_line(&mut line).expect("an event");
        if line.contains("\"kind\":\"answered\"") {
            answered += 1;
        }
    }
    // The CSV lists them, one row each.
    let (s, csv) = http(
        port,
        "GET",
        &format!("/api/rooms/{room}/answers.csv?token={facilitator}"),
        "",
    );
    assert_eq!(s, 200);
    assert_eq!(
        csv.lines()
            .filter(|l| l.contains(",true,") || l.contains(",false,"))
            .count(),
        50
    );
}

#[test]
fn killed_mid_run_and_restarted_every_acknowledged_answer_is_back_once() {
    let data = scratch("workshop-kill");
    let mut server = start(Some(&data), "1000");
    let (room, facilitator) = open_room(server.port);
    let port = server.port;
    let tokens: Vec<String> = (0..10)
        .map(|i| {
            let (_, me) = post(
                port,
                &format!("/api/rooms/{room}/join"),
                &json!({ "name": format!("P{i}") }),
            );
            me["token"].as_str().unwrap().to_string()
        })
        .collect();
    // Answers keep arriving from four clients while the server is killed.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(vec![0usize; tokens.len()]));
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let (room, tokens, acked) = (room.clone(), tokens.clone(), acked.clone());
            let design = lesson("solution.json");
            std::thread::spawn(move || {
                for round in 0..6 {
                    for (i, t) in tokens.iter().enumerate().filter(|(i, _)| i % 4 == w) {
                        let (s, _) = post(
                            port,
                            &format!("/api/rooms/{room}/answers"),
                            &json!({ "token": t, "design": design }),
                        );
                        if s == 200 {
                            acked.lock().unwrap()[i] += 1;
                        } else if s == 0 {
                            return round;
                        }
                    }
                }
                6
            })
        })
        .collect();
    // Some answers in, then SIGKILL: no chance to flush anything.
    while acked.lock().unwrap().iter().sum::<usize>() < 8 {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.child.kill().expect("killed");
    server.child.wait().expect("gone");
    for w in workers {
        w.join().expect("a client");
    }
    let acked = acked.lock().unwrap().clone();
    let server = start(Some(&data), "1000");
    let (s, view) = get(
        server.port,
        &format!("/api/rooms/{room}?token={facilitator}"),
    );
    assert_eq!(s, 200, "the room is back: {view}");
    for (i, p) in view["participants"].as_array().unwrap().iter().enumerate() {
        let kept = p["answers"].as_array().unwrap().len();
        // Every acknowledged answer; at most one more, sent and written as the server died.
        assert!(
            kept >= acked[i] && kept <= acked[i] + 1,
            "P{i}: {kept} kept, {} acknowledged",
            acked[i]
        );
    }
    // The tokens still work, and a participant rejoins with their last design.
    let (s, me) = post(
        server.port,
        &format!("/api/rooms/{room}/join"),
        &json!({ "token": tokens[0] }),
    );
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["participant"], 1);
    if acked[0] > 0 {
        assert!(me["design"]
            .as_str()
            .is_some_and(|d| d.contains("\"components\"")));
    }
}

#[test]
fn a_saved_design_comes_back_when_its_participant_rejoins_after_a_restart() {
    let data = scratch("workshop-rejoin");
    let server = start(Some(&data), "1000");
    let (room, _) = open_room(server.port);
    let (_, me) = post(
        server.port,
        &format!("/api/rooms/{room}/join"),
        &json!({ "name": "Ada" }),
    );
    let token = me["token"].as_str().unwrap().to_string();
    assert!(me["design"].is_null(), "nothing saved yet");
    let mut design: Value = serde_json::from_str(&lesson("start.json")).unwrap();
    design["components"][1]["name"] = json!("Ada's API");
    let (s, _) = post(
        server.port,
        &format!("/api/rooms/{room}/design"),
        &json!({ "token": token, "design": design }),
    );
    assert_eq!(s, 200);
    let (s, _) = post(
        server.port,
        &format!("/api/rooms/{room}/design"),
        &json!({ "token": token, "design": "not a scenario" }),
    );
    assert_eq!(s, 422);
    let (s, _) = post(
        server.port,
        &format!("/api/rooms/{room}/design"),
        &json!({ "token": "stolen", "design": design }),
    );
    assert_eq!(s, 401);
    drop(server);
    let server = start(Some(&data), "1000");
    let (s, back) = post(
        server.port,
        &format!("/api/rooms/{room}/join"),
        &json!({ "token": token }),
    );
    assert_eq!(s, 200, "{back}");
    assert!(
        back["design"]
            .as_str()
            .is_some_and(|d| d.contains("Ada's API")),
        "{back}"
    );
    // The participant's screen opens the challenge the room was opened with, and its question.
    assert_eq!(back["challenge"], "challenge=opaque-to-the-server");
    assert_eq!(back["question"], "How many paid twice?");
    assert_eq!(back["choices"], json!(["under 1%", "about 10%"]));
}

/// The projector's QR code, drawn as a phone's camera sees it, reads as the room's join address.
#[test]
fn the_projector_s_qr_code_decodes_to_the_room_s_join_address() {
    use resvg::{tiny_skia, usvg};
    let server = start(None, "1000");
    let (room, facilitator) = open_room(server.port);
    let (s, svg) = http(server.port, "GET", &format!("/api/rooms/{room}/qr.svg"), "");
    assert_eq!(s, 200, "{svg}");
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).expect("an SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).expect("a size");
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let pixels = pixmap.data().to_vec();
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[(y * w + x) * 4]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one code");
    let (_, text) = grids[0].decode().expect("it decodes");
    let want = format!("http://127.0.0.1:{}/#room={room}", server.port);
    assert_eq!(text, want);
    // The facilitator's view names the same address; a room that does not exist has no code.
    let (_, view) = get(
        server.port,
        &format!("/api/rooms/{room}?token={facilitator}"),
    );
    assert_eq!(view["join"], json!(want));
    let (s, _) = http(server.port, "GET", "/api/rooms/NOROOM/qr.svg", "");
    assert_eq!(s, 404);
}

#[test]
fn hostile_requests_get_clear_statuses_and_the_server_keeps_serving() {
    let server = start(None, "20");
    let port = server.port;
    let (room, facilitator) = open_room(port);
    let (_, me) = post(
        port,
        &format!("/api/rooms/{room}/join"),
        &json!({ "name": "<script>alert(1)</script>" }),
    );
    let token = me["token"].as_str().unwrap().to_string();
    // A name is kept as text, exactly.
    assert_eq!(me["name"], "<script>alert(1)</script>");
    // Oversized, malformed, unknown room, forged, another's rights.
    // At the body limit (128 KB): just over is refused unread, just under is read (and then
    // refused for not being a scenario).
    let sized = |n: usize| {
        let head = format!("{{\"token\": \"{token}\", \"design\": \"");
        format!("{head}{}\"}}", "x".repeat(n - head.len() - 2))
    };
    let (s, _) = http(
        port,
        "POST",
        &format!("/api/rooms/{room}/answers"),
        &sized(128 * 1024 + 1),
    );
    assert_eq!(s, 413);
    let (s, text) = http(
        port,
        "POST",
        &format!("/api/rooms/{room}/answers"),
        &sized(128 * 1024),
    );
    assert_eq!(s, 422, "{text}");
    let (s, text) = http(
        port,
        "POST",
        &format!("/api/rooms/{room}/join"),
        "{\"name\": ",
    );
    assert_eq!(s, 400);
    assert!(text.contains("not the JSON this call takes"), "{text}");
    let (s, _) = post(port, "/api/rooms/NOSUCH/join", &json!({ "name": "x" }));
    assert_eq!(s, 404);
    let mut forged: Value = serde_json::from_str(&lesson("start.json")).unwrap();
    forged["goals"] = json!([]);
    forged["locked"] = json!([]);
    forged["faults"] = json!([]);
    let (s, got) = post(
        port,
        &format!("/api/rooms/{room}/answers"),
        &json!({ "token": token, "design": forged }),
    );
    assert_eq!(s, 200);
    assert_eq!(
        got["verdict"]["passed"], false,
        "judged by the room's goals: {got}"
    );
    let (s, _) = post(
        port,
        &format!("/api/rooms/{room}/reveal"),
        &json!({ "token": token }),
    );
    assert_eq!(s, 403, "a participant cannot reveal");
    let (s, _) = get(port, &format!("/api/rooms/{room}/events?token={token}"));
    assert_eq!(s, 403);
    let (s, _) = http(
        port,
        "GET",
        &format!("/api/rooms/{room}/answers.csv?token={token}"),
        "",
    );
    assert_eq!(s, 403);
    let (_, view) = get(port, &format!("/api/rooms/{room}?token={token}"));
    assert!(
        view["participants"].is_number(),
        "a participant sees a head count, not the others: {view}"
    );
    assert!(
        !view.to_string().contains(&facilitator),
        "nobody reads the facilitator's token"
    );
    // Paths out of the served folder, to a file beside it.
    std::fs::write(dist().join("../workshop-secret.txt"), "SECRET").unwrap();
    for path in [
        "/../workshop-secret.txt",
        "/%2e%2e/workshop-secret.txt",
        "/..%2fworkshop-secret.txt",
        "/index.html/../../workshop-secret.txt",
        "//workshop-secret.txt",
    ] {
        let (s, body) = http(port, "GET", path, "");
        assert!(!body.contains("SECRET"), "{path} leaked a file");
        assert!(s == 404 || s == 400, "{path}: {s}");
    }
    // A burst of 2,000 requests from one address: refused with 429 once over its budget,
    // never a crash, and served again a moment later.
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..2_000 {
        let (s, _) = http(port, "GET", "/index.html", "");
        *statuses.entry(s).or_insert(0) += 1;
    }
    assert!(
        statuses.get(&429).copied().unwrap_or(0) > 1_500,
        "{statuses:?}"
    );
    assert!(
        statuses.keys().all(|s| *s == 200 || *s == 429),
        "{statuses:?}"
    );
    std::thread::sleep(Duration::from_millis(1_100));
    let (s, body) = http(port, "GET", "/", "");
    assert_eq!(s, 200, "serving again");
    assert!(body.contains("<title>app</title>"));
}

#[test]
fn a_missing_app_folder_and_a_bad_rate_are_named() {
    let out = Command::new(env!("CARGO_BIN_EXE_playground"))
        .args(["workshop", "--port", "0", "--dist", "no/such/dist"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds no built app") && err.contains("cargo xtask serve"),
        "{err}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_playground"))
        .args(["workshop", "--port", "0", "--rate", "0"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// A room whose challenge has a shortcut (the planted one of engine/tests/world.rs: nothing
/// holds the call to the provider): an answer that passes by it is named by it, for the
/// facilitator; the start is not. (The solution given is the start itself, so every passing
/// edit the search finds is a shortcut.)
#[test]
fn an_answer_that_passes_by_a_shortcut_the_search_found_is_named_by_it() {
    let server = start(None, "1000");
    let planted = std::fs::read_to_string(format!(
        "{}/../tests/data/shortcut-planted.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the planted scenario");
    let (s, room) = post(
        server.port,
        "/api/rooms",
        &json!({ "title": "Planted", "start": planted, "seed": 1, "solution": planted }),
    );
    assert_eq!(s, 200, "{room}");
    let code = room["room"].as_str().unwrap();
    let (_, me) = post(
        server.port,
        &format!("/api/rooms/{code}/join"),
        &json!({ "name": "Ada" }),
    );
    let token = me["token"].as_str().unwrap();
    let mut design: Value = serde_json::from_str(&planted).unwrap();
    design["wires"][1]["mode"] = json!("async");
    let (s, answered) = post(
        server.port,
        &format!("/api/rooms/{code}/answers"),
        &json!({ "token": token, "design": design }),
    );
    assert_eq!(s, 200, "{answered}");
    let verdict = &answered["verdict"];
    assert_eq!(verdict["passed"], json!(true), "{verdict}");
    let named = verdict["shortcuts"].as_array().expect("a list");
    assert!(
        named
            .iter()
            .any(|w| w.as_str().is_some_and(|w| w.contains("asynchronous"))),
        "{verdict}"
    );
    let (_, start) = post(
        server.port,
        &format!("/api/rooms/{code}/answers"),
        &json!({ "token": token, "design": planted }),
    );
    assert_eq!(start["verdict"]["shortcuts"], json!([]), "{start}");
}
