// Decisions: newest first, filtered and paged; one decision's details.
import {call} from './api.js';
import {el, formatTime, labelled, notify} from './dom.js';

const PAGE = 50;
const STATUSES = ['MATCH', 'DEFAULT', 'NOMATCH', 'MULTIPLE', 'WITHHELD', 'FAILED', 'ERROR'];
const section = () => document.getElementById('decisions-screen');

/** datetime-local text in the browser's zone -> ISO instant; '' stays ''. */
function instant(local) {
  if (!local) return '';
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? '' : time.toISOString();
}

function local(iso) {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return '';
  const pad = n => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}T${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

export async function open(query) {
  const filters = {
    caller: query.get('caller') || '', route: query.get('route') || '', status: query.get('status') || '',
    from: query.get('from') || '', to: query.get('to') || '', before: query.get('before') || '',
  };
  const status = el('select', {id: 'filter-status'}, el('option', {value: '', text: 'Any'}), STATUSES.map(s => el('option', {value: s, text: s})));
  status.value = filters.status;
  const form = el('form', {id: 'decision-filters', class: 'card grid', role: 'search', onsubmit: event => {
    event.preventDefault();
    const params = new URLSearchParams();
    const set = (key, text) => { if (text) params.set(key, text); };
    set('caller', document.getElementById('filter-caller').value.trim());
    set('route', document.getElementById('filter-route').value.trim());
    set('status', status.value);
    set('from', instant(document.getElementById('filter-from').value));
    set('to', instant(document.getElementById('filter-to').value));
    const next = `#/decisions?${params}`;
    // The same filters again: read the decisions again (no hash change, so no navigation).
    if (location.hash === next) open(params); else location.hash = next;
  }},
  labelled('Caller', el('input', {type: 'search', id: 'filter-caller', value: filters.caller})),
  labelled('Route', el('input', {type: 'search', id: 'filter-route', value: filters.route})),
  labelled('Status', status),
  labelled('From', el('input', {type: 'datetime-local', id: 'filter-from', value: local(filters.from)})),
  labelled('To', el('input', {type: 'datetime-local', id: 'filter-to', value: local(filters.to)})),
  el('p', {class: 'actions'}, el('button', {type: 'submit', text: 'Show decisions'}), el('a', {href: '#/decisions', text: 'Clear filters'})));
  const body = el('tbody', {id: 'decisions-body'});
  const details = el('section', {id: 'decision-details', class: 'card', 'aria-labelledby': 'details-title', hidden: true});
  const memory = el('p', {id: 'decisions-memory', class: 'hint', hidden: true});
  const pager = el('nav', {class: 'pager', 'aria-label': 'Pages of decisions'});
  section().replaceChildren(el('h1', {id: 'decisions-title', text: 'Decisions'}), memory, form,
    el('div', {class: 'scroll'}, el('table', {class: 'list', 'aria-labelledby': 'decisions-title'},
      el('thead', {}, el('tr', {}, ['Time', 'Caller', 'Route', 'Status', 'Rule', 'Destination', 'CRM ms', 'Details']
        .map(h => el('th', {scope: 'col', text: h})))),
      body)),
    pager, details);
  call('GET', '/api/status').then(({data}) => {
    if (data.storage.kind === 'local') {
      memory.textContent = `Without a database, the last ${data.storage.decisions_kept.toLocaleString('en')} decisions are kept in memory`
        + ' and start again at each restart: history across restarts needs the database.';
      memory.hidden = false;
    }
  }).catch(() => {});
  const params = new URLSearchParams();
  for (const key of ['caller', 'route', 'status', 'from']) if (filters[key]) params.set(key, filters[key]);
  const to = filters.before || filters.to;
  if (to) params.set('to', to);
  params.set('limit', String(PAGE + 1));
  let rows = [];
  try {
    rows = (await call('GET', `/api/decisions?${params}`)).data;
  } catch (failure) {
    notify(failure.message);
  }
  const more = rows.length > PAGE;
  rows = rows.slice(0, PAGE);
  body.replaceChildren(...rows.map(row => line(row, details)));
  if (!rows.length) body.append(el('tr', {}, el('td', {colspan: 8, text: 'No decision matches.'})));
  const link = (text, before) => {
    const next = new URLSearchParams(query);
    if (before) next.set('before', before); else next.delete('before');
    return el('a', {href: `#/decisions?${next}`, text});
  };
  pager.replaceChildren(...[
    filters.before ? link('Newest', '') : null,
    more ? link('Older', rows[rows.length - 1].time) : null].filter(Boolean));
}

function line(row, details) {
  const destination = row.type ? `${row.type} ${row.dest}${row.voicemail ? ' (voicemail)' : ''}` : '';
  return el('tr', {},
    el('td', {'data-label': 'Time', text: formatTime(row.time)}),
    el('td', {'data-label': 'Caller', text: row.caller}),
    el('td', {'data-label': 'Route', text: row.route}),
    el('td', {'data-label': 'Status', text: row.status}),
    el('td', {'data-label': 'Rule', text: row.rule}),
    el('td', {'data-label': 'Destination', text: destination}),
    el('td', {'data-label': 'CRM ms', text: row.crm_ms ?? ''}),
    el('td', {}, el('button', {type: 'button', 'aria-label': `Details of the call ${row.uniqueid}`, text: 'Details',
      onclick: () => show(row, details)})));
}

function show(row, details) {
  const pairs = [
    ['Time', formatTime(row.time)], ['Unique ID', row.uniqueid], ['Channel', row.channel], ['Caller', row.caller],
    ['Route', row.route], ['CRM', row.crm], ['Digits', row.digits], ['Status', row.status], ['Rule', row.rule],
    ['Compared value', row.value], ['Destination', row.type ? `${row.type} ${row.dest}` : ''], ['Voicemail', row.voicemail ? 'yes' : 'no'],
    ['Records found', row.records], ['CRM time (ms)', row.crm_ms], ['Error', row.error],
  ];
  details.replaceChildren(el('h2', {id: 'details-title', text: `Call ${row.uniqueid}`}),
    el('dl', {class: 'pairs'}, pairs.map(([key, value]) => [el('dt', {text: key}), el('dd', {text: value ?? ''})])));
  details.hidden = false;
  details.setAttribute('tabindex', '-1');
  details.focus();
}
