//! `playground workshop`: a live room's server on the facilitator's laptop. It serves the built
//! app from `dist/` and a small JSON API: open a room for a challenge, join with a name, predict,
//! reveal, answer. Every answer is run natively on the room's seed and recorded with what that run
//! found; the facilitator follows joins, predictions and answers as Server-Sent Events. The
//! room's record is kept by `crate::room` (synced before each request is answered). Every request
//! is bounded: its body, names, answers per participant, participants per room, rooms, and each
//! client's request rate (docs/workshops.md lists the limits).
#![allow(clippy::disallowed_methods)] // Clients' request budgets refill by the wall clock; no run sees it.

use crate::room::{Opening, Refusal, Rooms, LIMITS};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path as FilePath, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// How `playground workshop` was asked to run.
#[derive(Debug)]
pub struct Options {
    /// The port (0: one the system picks).
    pub port: u16,
    /// Listen on the local network, not only this machine.
    pub lan: bool,
    /// Where the rooms' records are kept (None: in memory, gone when the server stops).
    pub data: Option<PathBuf>,
    /// The built app.
    pub dist: PathBuf,
    /// Requests a second one client address may send (a room behind one NAT address needs more).
    pub rate: f64,
}

/// A client's request budget: a token bucket.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// What every request handler shares.
struct Shared {
    rooms: Mutex<Rooms>,
    /// Each room's live events, for the facilitator's page.
    events: Mutex<HashMap<String, broadcast::Sender<String>>>,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
    /// Requests a second per client address, and the burst (three seconds' worth).
    rate: f64,
    /// The address the room joins at, as phones on the network reach it (`http://HOST:PORT/`).
    join_base: String,
}

type AppState = Arc<Shared>;

impl Shared {
    /// `f` done with room `code`, under the rooms' lock; a code no room has is refused (404).
    fn in_room<T>(
        &self,
        code: &str,
        f: impl FnOnce(&mut crate::room::Room) -> Result<T, Refusal>,
    ) -> Result<T, Refusal> {
        let mut rooms = self.rooms.lock().unwrap_or_else(|e| e.into_inner());
        let r = rooms.rooms.get_mut(code).ok_or_else(|| no_room(code))?;
        f(r)
    }

    /// Where participants join room `code`.
    fn join_address(&self, code: &str) -> String {
        format!("{}#room={code}", self.join_base)
    }

    fn announce(&self, room: &str, event: Value) {
        let events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = events.get(room) {
            let _ = tx.send(event.to_string());
        }
    }

    fn subscribe(&self, room: &str) -> broadcast::Receiver<String> {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        events
            .entry(room.to_string())
            .or_insert_with(|| broadcast::channel(1024).0)
            .subscribe()
    }
}

/// Runs the server until interrupted.
pub fn workshop(options: Options) -> ExitCode {
    if !(options.rate.is_finite() && (1.0..=1e6).contains(&options.rate)) {
        eprintln!(
            "--rate takes a number of requests a second from 1 to 1000000, not {}",
            options.rate
        );
        return ExitCode::from(2);
    }
    if !options.dist.join("index.html").exists() {
        eprintln!(
            "{} holds no built app: build it with `cargo xtask serve` (or `trunk build --release`) first, or point --dist at it",
            options.dist.display()
        );
        return ExitCode::from(2);
    }
    let rooms = match Rooms::load(options.data.as_deref()) {
        Ok(rooms) => rooms,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the server: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(serve(options, rooms)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// The router: the API, and the app's files for everything else.
fn router(state: AppState, dist: &FilePath) -> Router {
    Router::new()
        .route("/api/rooms", post(open_room))
        .route("/api/rooms/{room}", get(view_room))
        .route("/api/rooms/{room}/join", post(join))
        .route("/api/rooms/{room}/predict", post(predict))
        .route("/api/rooms/{room}/reveal", post(reveal))
        .route("/api/rooms/{room}/answers", post(answer))
        .route("/api/rooms/{room}/design", post(save))
        .route("/api/rooms/{room}/events", get(events))
        .route("/api/rooms/{room}/answers.csv", get(answers_csv))
        .route("/api/rooms/{room}/qr.svg", get(qr_svg))
        .fallback_service(tower_http::services::ServeDir::new(dist))
        .layer(middleware::from_fn(strict_policy))
        .layer(DefaultBodyLimit::max(LIMITS.body_bytes))
        .layer(middleware::from_fn_with_state(state.clone(), rate_limit))
        .with_state(state)
}

async fn serve(options: Options, rooms: Rooms) -> Result<(), String> {
    let bind = if options.lan {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    };
    let listener = tokio::net::TcpListener::bind((bind, options.port))
        .await
        .map_err(|e| format!("cannot listen on port {}: {e}", options.port))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let host = if options.lan {
        lan_address().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
    } else {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    };
    let address = format!("http://{host}:{port}/");
    println!("workshop server on {address}");
    match &options.data {
        Some(dir) => println!("rooms are kept in {}", dir.display()),
        None => println!("rooms are kept in memory only: pass --data DIR to keep them"),
    }
    if options.lan {
        println!("the room joins at {address} (scan):\n{}", qr(&address));
    }
    let state = Arc::new(Shared {
        rooms: Mutex::new(rooms),
        events: Mutex::new(HashMap::new()),
        buckets: Mutex::new(HashMap::new()),
        rate: options.rate,
        join_base: address,
    });
    let app = router(state, &options.dist);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| format!("the server stopped: {e}"))
}

/// This machine's address on the local network: the one a connection out would leave from
/// (connecting a UDP socket sends nothing).
fn lan_address() -> Option<IpAddr> {
    let socket = std::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    Some(socket.local_addr().ok()?.ip())
}

/// `text` as a QR code drawn with half-block characters, for a terminal.
pub fn qr(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .build(),
        Err(e) => format!("(no QR code: {e})"),
    }
}

/// The app's pages under the strict Content-Security-Policy of docs/deploying.md (the embed's
/// pages may be framed by any site, the others by none); the service worker is asked for afresh
/// each time, so a rebuilt app reaches the room.
async fn strict_policy(request: Request, next: Next) -> Response {
    const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:";
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let frames = if path == "/embed.html" || path == "/play.html" {
        "*"
    } else {
        "'none'"
    };
    if let Ok(v) = header::HeaderValue::from_str(&format!("{POLICY}; frame-ancestors {frames}")) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, v);
    }
    if path == "/sw.js" {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-cache"),
        );
    }
    response
}

/// Refuses a client over its request rate with 429, before any work.
async fn rate_limit(
    State(state): State<AppState>,
    ConnectInfo(from): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let allowed = {
        let mut buckets = state.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let burst = state.rate * 3.0;
        let b = buckets.entry(from.ip()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.duration_since(b.at).as_secs_f64() * state.rate;
        b.tokens = (b.tokens + refill).min(burst);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    };
    if allowed {
        next.run(request).await
    } else {
        let message = format!(
            "too many requests: {} a second at most from one address, {} in a burst",
            state.rate,
            state.rate * 3.0
        );
        failure(Refusal {
            status: 429,
            message,
        })
    }
}

fn failure(refusal: Refusal) -> Response {
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(json!({ "error": refusal.message }))).into_response()
}

fn reply(result: Result<Value, Refusal>) -> Response {
    match result {
        Ok(v) => Json(v).into_response(),
        Err(r) => failure(r),
    }
}

/// A request body read as `T`, or a message naming what is wrong with it.
fn body<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(bytes).map_err(|e| Refusal {
        status: 400,
        message: format!("the request is not the JSON this call takes: {e}"),
    })
}

/// JSON text, whether it came as a string or as an object.
fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn no_room(room: &str) -> Refusal {
    let shown: String = room.chars().take(12).collect();
    Refusal {
        status: 404,
        message: format!("there is no room {shown:?}"),
    }
}

/// Room `room`, when `token` is its facilitator's; `what` names what is theirs in the refusal.
fn as_facilitator<'r>(
    rooms: &'r Rooms,
    room: &str,
    token: &str,
    what: &str,
) -> Result<&'r crate::room::Room, Refusal> {
    let r = rooms.rooms.get(room).ok_or_else(|| no_room(room))?;
    if r.is_facilitator(token) {
        Ok(r)
    } else {
        Err(Refusal {
            status: 403,
            message: format!("{what} are the facilitator's"),
        })
    }
}

#[derive(Deserialize)]
struct OpenRoom {
    #[serde(default)]
    title: String,
    start: Value,
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default)]
    choices: Vec<String>,
    #[serde(default)]
    question: String,
    #[serde(default)]
    challenge: String,
    #[serde(default)]
    solution: Option<Value>,
    /// Alternatives the lesson accepts, `[{key, why}]`.
    #[serde(default)]
    accepted: Vec<Value>,
}

async fn open_room(State(state): State<AppState>, bytes: Bytes) -> Response {
    let result = body::<OpenRoom>(&bytes).and_then(|o| {
        let seed = o.seed.unwrap_or(1);
        let opening = Opening {
            title: o.title,
            start: json_text(&o.start),
            seed,
            choices: o.choices,
            question: o.question,
            challenge: o.challenge,
            solution: o.solution.as_ref().map(json_text).unwrap_or_default(),
            accepted: o
                .accepted
                .iter()
                .filter_map(|a| Some((a["key"].as_str()?.into(), a["why"].as_str()?.into())))
                .collect(),
        };
        let mut rooms = state.rooms.lock().unwrap_or_else(|e| e.into_inner());
        let (room, facilitator) = rooms.open(opening)?;
        let join = state.join_address(&room);
        Ok(json!({ "room": room, "facilitator_token": facilitator, "seed": seed, "join": join }))
    });
    reply(result)
}

/// The room's join address as a QR code, for the projector (anyone may have it: it is the
/// address the room is shown anyway).
async fn qr_svg(State(state): State<AppState>, Path(room): Path<String>) -> Response {
    if let Err(r) = state.in_room(&room, |_| Ok(())) {
        return failure(r);
    }
    let address = state.join_address(&room);
    match qrcode::QrCode::new(address.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(240, 240)
                .quiet_zone(true)
                .build();
            ([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response()
        }
        Err(e) => failure(Refusal {
            status: 500,
            message: format!("no QR code for {address}: {e}"),
        }),
    }
}

#[derive(Deserialize)]
struct Join {
    #[serde(default)]
    name: String,
    #[serde(default)]
    token: Option<String>,
}

async fn join(State(state): State<AppState>, Path(room): Path<String>, bytes: Bytes) -> Response {
    let result = body::<Join>(&bytes).and_then(|j| {
        state.in_room(&room, |r| {
            let (id, token) = r.join(&j.name, j.token.as_deref())?;
            let p = r.participant(&token).cloned();
            let last = p.as_ref().and_then(|p| p.answers.last().cloned());
            let design = p.as_ref().and_then(|p| p.design.clone());
            let name = p.as_ref().map(|p| p.name.clone()).unwrap_or_default();
            Ok((
                json!({
                    "participant": id, "token": token, "name": name, "title": r.title,
                    "start": r.start_json(), "seed": r.seed, "choices": r.choices,
                    "question": r.question, "challenge": r.challenge, "revealed": r.revealed,
                    "prediction": p.as_ref().and_then(|p| p.prediction),
                    "design": design,
                    "verdict": last,
                }),
                json!({ "kind": "joined", "participant": id, "name": name }),
            ))
        })
    });
    reply(result.map(|(v, event)| {
        state.announce(&room, event);
        v
    }))
}

#[derive(Deserialize)]
struct Predict {
    token: String,
    choice: usize,
}

async fn predict(
    State(state): State<AppState>,
    Path(room): Path<String>,
    bytes: Bytes,
) -> Response {
    let result = body::<Predict>(&bytes).and_then(|p| {
        state.in_room(&room, |r| {
            r.predict(&p.token, p.choice)?;
            Ok(r.spread().iter().sum::<usize>())
        })
    });
    reply(result.map(|predicted| {
        // The spread stays hidden until the reveal: the event says only how many predicted.
        state.announce(
            &room,
            json!({ "kind": "predicted", "predicted": predicted }),
        );
        json!({ "ok": true })
    }))
}

#[derive(Deserialize)]
struct Reveal {
    token: String,
}

async fn reveal(State(state): State<AppState>, Path(room): Path<String>, bytes: Bytes) -> Response {
    let result = body::<Reveal>(&bytes).and_then(|q| {
        state.in_room(&room, |r| {
            r.reveal(&q.token)?;
            Ok(r.spread())
        })
    });
    reply(result.map(|spread| {
        state.announce(&room, json!({ "kind": "revealed", "spread": spread }));
        json!({ "spread": spread })
    }))
}

/// A participant's design: kept as it stands (`design`), or sent as their answer (`answers`).
#[derive(Deserialize)]
struct Design {
    token: String,
    design: Value,
}

async fn save(State(state): State<AppState>, Path(room): Path<String>, bytes: Bytes) -> Response {
    let result = body::<Design>(&bytes).and_then(|q| {
        state.in_room(&room, |r| r.save(&q.token, &json_text(&q.design)))?;
        Ok(json!({ "saved": true }))
    });
    reply(result)
}

async fn answer(State(state): State<AppState>, Path(room): Path<String>, bytes: Bytes) -> Response {
    let asked = body::<Design>(&bytes).and_then(|a| {
        let ticket = state.in_room(&room, |r| r.answer_ticket(&a.token))?;
        Ok((ticket, json_text(&a.design)))
    });
    let (ticket, design) = match asked {
        Ok(a) => a,
        Err(r) => return failure(r),
    };
    let id = ticket.participant;
    // The run takes a while: off the async workers, and outside the room's lock.
    let checked = {
        let design = design.clone();
        tokio::task::spawn_blocking(move || ticket.judge(&design)).await
    };
    let verdict = match checked {
        Ok(Ok(v)) => v,
        Ok(Err(r)) => return failure(r),
        Err(e) => {
            return failure(Refusal {
                status: 500,
                message: format!("the run stopped: {e}"),
            })
        }
    };
    let recorded = state.in_room(&room, |r| {
        r.record_answer(id, &design, &verdict)?;
        let name = r
            .participants
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone());
        Ok(name.unwrap_or_default())
    });
    reply(recorded.map(|name| {
        state.announce(
            &room,
            json!({ "kind": "answered", "participant": id, "name": name, "verdict": verdict }),
        );
        json!({ "verdict": verdict })
    }))
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The room as the asker may see it: everything for the facilitator; for a participant, their
/// own answers and the spread once revealed; for anybody else, the title and the head count.
async fn view_room(
    State(state): State<AppState>,
    Path(room): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let rooms = state.rooms.lock().unwrap_or_else(|e| e.into_inner());
    let Some(r) = rooms.rooms.get(&room) else {
        return failure(no_room(&room));
    };
    let spread = r.revealed.then(|| r.spread());
    if r.is_facilitator(&q.token) {
        let people: Vec<Value> = r.participants.iter().map(person).collect();
        return Json(json!({
            "room": r.id, "title": r.title, "seed": r.seed, "choices": r.choices,
            "question": r.question, "challenge": r.challenge, "join": state.join_address(&r.id),
            "revealed": r.revealed, "spread": r.spread(), "participants": people,
        }))
        .into_response();
    }
    let you = r.participant(&q.token).map(person);
    Json(json!({
        "room": r.id, "title": r.title, "choices": r.choices, "question": r.question,
        "revealed": r.revealed, "spread": spread, "participants": r.participants.len(), "you": you,
    }))
    .into_response()
}

/// A participant as the room's view shows them: never their token or their designs.
fn person(p: &crate::room::Participant) -> Value {
    json!({ "participant": p.id, "name": p.name, "prediction": p.prediction, "answers": p.answers })
}

/// The room's live events, for the facilitator only.
async fn events(
    State(state): State<AppState>,
    Path(room): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    {
        let rooms = state.rooms.lock().unwrap_or_else(|e| e.into_inner());
        if let Err(r) = as_facilitator(&rooms, &room, &q.token, "the room's live events") {
            return failure(r);
        }
    }
    let stream = BroadcastStream::new(state.subscribe(&room)).filter_map(|m| {
        m.ok()
            .map(|text| Ok::<Event, std::convert::Infallible>(Event::default().data(text)))
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Every answer as CSV, for the facilitator only.
async fn answers_csv(
    State(state): State<AppState>,
    Path(room): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Response {
    let rooms = state.rooms.lock().unwrap_or_else(|e| e.into_inner());
    let r = match as_facilitator(&rooms, &room, &q.token, "the answers") {
        Ok(r) => r,
        Err(refused) => return failure(refused),
    };
    let mut out = playground_format::csv::record([
        "participant",
        "name",
        "answer",
        "passed",
        "goals met",
        "goals",
        "cost per hour",
        "conditions changed",
        "shortcuts",
        "digest",
    ]);
    for p in &r.participants {
        for (i, v) in p.answers.iter().enumerate() {
            out += &playground_format::csv::record([
                p.id.to_string(),
                p.name.clone(),
                (i + 1).to_string(),
                v.passed.to_string(),
                v.met.to_string(),
                v.goals.to_string(),
                format!("{:.2}", v.cost_per_hour),
                v.changed.join("; "),
                v.shortcuts.join("; "),
                v.digest.clone(),
            ]);
        }
    }
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The terminal's QR code read back as a phone reads it: its half blocks turned into modules
    /// (printed light on dark: a block is a light module), scaled up, and decoded.
    #[test]
    fn the_terminal_qr_code_decodes_to_the_join_address() {
        let address = "http://192.168.1.23:8090/";
        let drawn = qr(address);
        let rows: Vec<Vec<char>> = drawn.lines().map(|l| l.chars().collect()).collect();
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        // Each character is two modules, one above the other.
        let dark = |x: usize, y: usize| -> bool {
            let c = rows
                .get(y / 2)
                .and_then(|r| r.get(x))
                .copied()
                .unwrap_or('█');
            let (top, bottom) = match c {
                '█' => (false, false),
                '▀' => (false, true),
                '▄' => (true, false),
                _ => (true, true),
            };
            if y.is_multiple_of(2) {
                top
            } else {
                bottom
            }
        };
        let scale = 6;
        let (w, h) = (width * scale, rows.len() * 2 * scale);
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
            if dark(x / scale, y / scale) {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one code in:\n{drawn}");
        let (_, text) = grids[0].decode().expect("it decodes");
        assert_eq!(text, address);
    }
}
