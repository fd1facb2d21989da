// The console's shell: sign-in, the screen named by the URL, the guard for unsaved changes.
import {onUnauthorized, signIn, signInWithCode, signOut, token} from './api.js';
import {confirmDialog, notify} from './dom.js';
import * as routes from './routes.js';
import * as editor from './editor.js';
import * as decisions from './decisions.js';
import * as status from './status.js';

const SCREENS = ['signin', 'routes', 'editor', 'decisions', 'status'];

/** "#/routes/vip?try" -> {path: ['routes', 'vip'], query: URLSearchParams('try')} */
function parse(hash) {
  const text = hash.replace(/^#\/?/, '');
  const [path, query = ''] = text.split('?');
  return {path: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query)};
}

function show(name) {
  for (const screen of SCREENS) document.getElementById(`${screen}-screen`).hidden = screen !== name;
  document.getElementById('nav').hidden = name === 'signin';
  for (const link of document.querySelectorAll('#nav a')) {
    const current = link.dataset.screen === name || (name === 'editor' && link.dataset.screen === 'routes');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

function showSignIn(message) {
  show('signin');
  document.getElementById('signin-error').textContent = message || '';
  document.getElementById('signin-token').focus();
}

async function render() {
  const hash = location.hash;
  if (hash.startsWith('#signin=')) {
    history.replaceState(null, '', '#/routes');
    try {
      await signInWithCode(hash.slice('#signin='.length));
    } catch (failure) {
      showSignIn(failure.message);
      return;
    }
  }
  if (!token()) {
    showSignIn();
    return;
  }
  const {path, query} = parse(location.hash || '#/routes');
  notify('');
  const [screen, name] = path;
  if (screen === 'decisions') {
    show('decisions');
    await decisions.open(query);
  } else if (screen === 'status') {
    show('status');
    await status.open();
  } else if (screen === 'new') {
    show('editor');
    await editor.openNew(query.get('from'));
  } else if (screen === 'routes' && name) {
    show('editor');
    await editor.open(name, query.has('try'));
  } else {
    show('routes');
    await routes.open();
  }
}

window.addEventListener('hashchange', async event => {
  if (editor.isDirty() && !document.getElementById('editor-screen').hidden) {
    const previous = new URL(event.oldURL).hash;
    const leave = await confirmDialog(`Route ${editor.currentName() || '(new)'} has changes that are not saved. Leave without saving them?`,
      'Leave without saving');
    if (!leave) {
      history.replaceState(null, '', previous);
      return;
    }
    editor.discard();
  }
  render();
});

window.addEventListener('beforeunload', event => {
  if (editor.isDirty() && !document.getElementById('editor-screen').hidden) {
    event.preventDefault();
    event.returnValue = '';
  }
});

onUnauthorized(() => showSignIn('The admin token was not accepted: sign in again.'));

document.getElementById('signin-form').addEventListener('submit', async event => {
  event.preventDefault();
  const input = document.getElementById('signin-token');
  const error = document.getElementById('signin-error');
  error.textContent = '';
  try {
    if (await signIn(input.value.trim())) {
      input.value = '';
      if (!location.hash || location.hash.startsWith('#signin')) history.replaceState(null, '', '#/routes');
      await render();
    } else {
      error.textContent = 'That token is not the admin token.';
      input.select();
    }
  } catch (failure) {
    error.textContent = failure.message;
  }
});

document.getElementById('sign-out').addEventListener('click', async () => {
  if (editor.isDirty() && !document.getElementById('editor-screen').hidden
      && !await confirmDialog('The route has changes that are not saved. Sign out without saving them?', 'Sign out')) return;
  editor.discard();
  signOut();
  showSignIn('Signed out.');
});

render();
