// Routes list: search as you type, new / duplicate / delete, YAML import and export.
import {call} from './api.js';
import {confirmDialog, el, formatTime, labelled, notify} from './dom.js';
import {describeDestination} from './model.js';

const section = () => document.getElementById('routes-screen');
let all = [];

export async function open() {
  const search = el('input', {type: 'search', id: 'route-search', autocomplete: 'off',
    placeholder: 'name, CRM, object, field, destination', oninput: () => fill(search.value)});
  const body = el('tbody', {id: 'routes-body'});
  const problems = el('ul', {id: 'import-problems', class: 'problems', role: 'alert'});
  const file = el('input', {type: 'file', id: 'import-file', accept: '.yaml,.yml,text/yaml,application/yaml'});
  section().replaceChildren(
    el('div', {class: 'heading'},
      el('h1', {id: 'routes-title', text: 'Routes'}),
      el('a', {class: 'button', href: '#/new', text: 'New route'})),
    el('form', {class: 'search', role: 'search', onsubmit: event => event.preventDefault()},
      labelled('Search routes', search)),
    el('table', {class: 'list', 'aria-labelledby': 'routes-title'},
      el('thead', {}, el('tr', {},
        ['Name', 'CRM', 'Object', 'Compares', 'Rules', 'Default', 'Last change', 'Actions'].map(h => el('th', {scope: 'col', text: h})))),
      body),
    el('p', {id: 'routes-empty', hidden: true}),
    el('section', {class: 'card', 'aria-labelledby': 'transfer-title'},
      el('h2', {id: 'transfer-title', text: 'Import and export'}),
      el('p', {}, el('button', {type: 'button', id: 'export-routes', onclick: exportRoutes, text: 'Export routes as YAML'})),
      el('form', {id: 'import-form', onsubmit: event => importRoutes(event, file, problems)},
        labelled('YAML file to import', file, 'A routes: section, as Export writes it. Every route is checked first: one problem and nothing is imported.'),
        el('p', {}, el('button', {type: 'submit', text: 'Import routes'}))),
      problems));
  try {
    const {data} = await call('GET', '/api/routes');
    all = data;
  } catch (failure) {
    notify(failure.message);
    all = [];
  }
  fill('');
}

function haystack(entry) {
  return `${entry.name} ${JSON.stringify(entry.route)}`.toLowerCase();
}

function fill(query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = all.filter(entry => words.every(word => haystack(entry).includes(word)));
  document.getElementById('routes-body').replaceChildren(...shown.map(row));
  const empty = document.getElementById('routes-empty');
  empty.hidden = shown.length > 0;
  empty.textContent = all.length === 0 ? 'No routes yet: add one with New route.' : 'No route matches the search.';
}

function row(entry) {
  const route = entry.route || {};
  const compares = route.field || '';
  return el('tr', {'data-route': entry.name},
    el('th', {scope: 'row'}, el('a', {href: `#/routes/${encodeURIComponent(entry.name)}`, text: entry.name})),
    el('td', {'data-label': 'CRM', text: route.crm || ''}),
    el('td', {'data-label': 'Object', text: route.object || ''}),
    el('td', {'data-label': 'Compares', text: compares}),
    el('td', {'data-label': 'Rules', text: Array.isArray(route.rules) ? route.rules.length : 0}),
    el('td', {'data-label': 'Default', text: describeDestination(route.default)}),
    el('td', {'data-label': 'Last change', text: formatTime(entry.updated)}),
    el('td', {class: 'actions'},
      el('a', {href: `#/routes/${encodeURIComponent(entry.name)}?try`, 'aria-label': `Try a call on ${entry.name}`, text: 'Try'}),
      el('a', {href: `#/new?from=${encodeURIComponent(entry.name)}`, 'aria-label': `Duplicate ${entry.name}`, text: 'Duplicate'}),
      el('button', {type: 'button', class: 'danger', 'aria-label': `Delete ${entry.name}`, text: 'Delete',
        onclick: () => remove(entry)})));
}

async function remove(entry) {
  if (!await confirmDialog(`Are you sure you want to remove the route '${entry.name}'?`, 'Remove')) return;
  try {
    await call('DELETE', `/api/routes/${encodeURIComponent(entry.name)}`, {etag: entry.etag});
    await open();
    notify(`Route ${entry.name} removed.`);
  } catch (failure) {
    notify(failure.status === 412 ? `${failure.message} The list is reloaded: check it and try again.` : failure.message);
    if (failure.status === 412) await open();
  }
}

async function exportRoutes() {
  try {
    const {data} = await call('GET', '/api/export');
    const link = el('a', {href: URL.createObjectURL(new Blob([data], {type: 'application/yaml'})), download: 'crmroute-routes.yaml'});
    document.body.append(link);
    link.click();
    link.remove();
    notify('Routes exported as crmroute-routes.yaml.');
  } catch (failure) {
    notify(failure.message);
  }
}

async function importRoutes(event, file, problems) {
  event.preventDefault();
  problems.replaceChildren();
  if (!file.files.length) {
    problems.append(el('li', {text: 'Choose a YAML file first.'}));
    return;
  }
  const text = await file.files[0].text();
  try {
    const {data} = await call('POST', '/api/import', {body: text});
    await open();
    notify(`Imported ${data.imported} route${data.imported === 1 ? '' : 's'}.`);
  } catch (failure) {
    if (failure.status === 400) {
      problems.append(el('li', {text: 'Nothing was imported:'}),
        ...failure.problems.map(problem => el('li', {text: problem.path ? `${problem.path}: ${problem.message}` : problem.message})));
    } else {
      problems.append(el('li', {text: failure.message}));
    }
  }
}
