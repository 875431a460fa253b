// Which of the app's wasm files holds the screen a URL fragment names (ARCHITECTURE.md, "Why
// these choices"): `home` (the lesson list), `play` (lessons, sandbox, embed) or `workshop`
// (challenge, facilitator, compare, notes, live rooms). The Rust side names the same split in
// `Route::module`; both are checked against tests/data/modules.json.
export function moduleFor(fragment) {
  if (/^(challenge=|notes=|room=|host=)/.test(fragment) || ['facilitator', 'compare', 'host'].includes(fragment)) {
    return 'workshop';
  }
  if (/^(lesson=|harder=|s=|answer=|embed\?)/.test(fragment) || fragment === 'sandbox' || fragment === 'embed') {
    return 'play';
  }
  return 'home';
}
