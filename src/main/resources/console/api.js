// Owns fetch, the token and the error mapping: 401 -> sign-in, 412 -> "changed since you opened it",
// 400 -> [{path, message}] for the fields.

const TOKEN_KEY = 'crmroute.token';

export class ApiError extends Error {
  constructor(status, message, problems = []) {
    super(message);
    this.status = status;
    this.problems = problems;
  }
}

let unauthorized = () => {};

/** 429: this browser's address sent too many wrong tokens and must wait. */
function tooMany(response) {
  const seconds = Number(response.headers.get('Retry-After')) || 1;
  return new ApiError(429, `Too many wrong tokens from this address: try again in ${seconds} s.`);
}

export function onUnauthorized(handler) {
  unauthorized = handler;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** Keeps the token for this tab if the server takes it; false when it does not. */
export async function signIn(candidate) {
  const response = await fetch('/api/status', {headers: {Authorization: `Bearer ${candidate}`}, cache: 'no-store'});
  if (response.status === 401) return false;
  if (response.status === 429) throw tooMany(response);
  if (!response.ok) throw new ApiError(response.status, `The server answered ${response.status}.`);
  sessionStorage.setItem(TOKEN_KEY, candidate);
  return true;
}

/** Spends the code of a one-time sign-in link for the token it hands out. */
export async function signInWithCode(code) {
  const response = await fetch('/api/signin', {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({code}), cache: 'no-store'});
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error || 'This sign-in link cannot be used.');
  sessionStorage.setItem(TOKEN_KEY, data.token);
}

/**
 * One API request. body: an object (sent as JSON) or a string (sent as YAML). Answers {data, etag}; throws
 * ApiError with the status, a message for people and, for 400, the problems.
 */
export async function call(method, path, {body, etag} = {}) {
  const headers = {Authorization: `Bearer ${token()}`};
  if (etag) headers['If-Match'] = etag;
  let payload;
  if (typeof body === 'string') {
    payload = body;
    headers['Content-Type'] = 'application/yaml';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, {method, headers, body: payload, cache: 'no-store'});
  } catch (failure) {
    throw new ApiError(0, 'crmroute does not answer: is it running?');
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json().catch(() => null)
    : await response.text();
  if (response.status === 401) {
    signOut();
    unauthorized();
    throw new ApiError(401, 'Sign in again: the admin token was not accepted.');
  }
  if (response.status === 429) throw tooMany(response);
  if (response.status === 412) {
    throw new ApiError(412, 'This route was changed by someone else since you opened it.');
  }
  if (response.status === 400) {
    const problems = Array.isArray(data) ? data : [{path: '', message: String((data && data.error) || data)}];
    throw new ApiError(400, problems.length === 1 ? 'One value is not valid.' : `${problems.length} values are not valid.`, problems);
  }
  if (!response.ok) {
    const message = data && data.error ? data.error : `The server answered ${response.status}.`;
    throw new ApiError(response.status, message);
  }
  return {data, etag: response.headers.get('ETag')};
}

/** The public health document (no token needed). */
export async function health() {
  const response = await fetch('/health', {cache: 'no-store'});
  return response.json();
}
