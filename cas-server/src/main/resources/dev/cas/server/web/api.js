// The host's REST API as the page calls it. The browser session is an HttpOnly cookie the page
// never sees; every state-changing call sends the session's CSRF token in X-CSRF-Token (the host
// refuses a cookie-authenticated POST, PUT or DELETE without it). The page has no capability the
// API lacks: it only calls the endpoints the CLI and scripts call.

let csrfToken = null;
const signedOutListeners = new Set();

/** An API refusal: HTTP status, reason code (e.g. CHECKSUM_MISMATCH) and the host's message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Called with a message when the session is gone (expired, signed out elsewhere). */
export function onSignedOut(listener) {
  signedOutListeners.add(listener);
}

function sessionEnded(message) {
  csrfToken = null;
  for (const l of signedOutListeners) l(message);
}

function headers(method, extra = {}) {
  const out = {Accept: 'application/json', ...extra};
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) out['X-CSRF-Token'] = csrfToken;
  return out;
}

/**
 * The headers a call of the given method sends, the session's CSRF token included when it changes
 * state; for the plugin frames' bridge (plugin-frames.js), which calls the plugins' APIs itself.
 */
export function sessionHeaders(method, extra = {}) {
  return headers(method, extra);
}

async function envelope(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, `HTTP_${res.status}`,
      `the host answered ${res.status} ${res.statusText} without a JSON body`);
  }
  if (!res.ok || body.success === false) {
    const code = body.error?.code ?? `HTTP_${res.status}`;
    if (res.status === 401) sessionEnded(body.message);
    throw new ApiError(res.status, code, body.message ?? `HTTP ${res.status}`);
  }
  return body;
}

/** Calls the API; answers the envelope's {data, message}, throws ApiError on a refusal. */
export async function call(method, path, json) {
  const init = {method, credentials: 'same-origin', headers: headers(method)};
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  return envelope(await fetch(path, init));
}

export const get = (path) => call('GET', path).then((e) => e.data);

/**
 * Sends a package file as the raw body of POST path, reporting upload progress (0..1); answers
 * the envelope. XMLHttpRequest, because fetch reports no upload progress.
 */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [k, v] of Object.entries(headers('POST', {'Content-Type': 'application/zip'}))) {
      xhr.setRequestHeader(k, v);
    }
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      onProgress(1);
      const res = new Response(xhr.responseText, {status: xhr.status, statusText: xhr.statusText});
      envelope(res).then(resolve, reject);
    });
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, 'NETWORK', 'the upload failed: the host could not be reached')));
    xhr.send(file);
  });
}

/** Signs in with username and password; the host sets the session cookie. Answers the session. */
export async function signIn(username, password) {
  const res = await fetch('/api/auth/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', Accept: 'application/json'},
    body: JSON.stringify({username, password}),
  });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, `HTTP_${res.status}`, `the host answered ${res.status}`);
  }
  if (!res.ok) throw new ApiError(res.status, body.error?.code, body.message);
  csrfToken = body.data.csrfToken;
  return body.data;
}

/** The current session from its cookie, or null when there is none. */
export async function currentSession() {
  const res = await fetch('/api/auth/session', {credentials: 'same-origin', headers: headers('GET')});
  if (res.status === 401) return null;
  const body = await envelope(res);
  csrfToken = body.data.csrfToken;
  return body.data;
}

/** Signs out: the host forgets the session and clears the cookie. */
export async function signOut() {
  try {
    await call('DELETE', '/api/auth/session');
  } finally {
    csrfToken = null;
  }
}
