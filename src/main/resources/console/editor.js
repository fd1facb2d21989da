// Route editor: the whole route as a form, rules as rows, saved with If-Match; try a call on the draft.
import {call} from './api.js';
import {el, labelled, notify} from './dom.js';
import {DESTINATION_TYPES, OPERATORS, destination} from './model.js';
import {FIELDS_LIST, OBJECTS_LIST, schemaLists, suggest, suggestFields} from './schema.js';
import {tryPanel} from './try.js';

const FALLBACKS = [
  {key: 'default', label: 'Default (a record, no rule holds)', required: true},
  {key: 'nomatch', label: 'No match (no record)'},
  {key: 'multiple', label: 'Multiple records'},
  {key: 'withheld', label: 'Withheld caller ID'},
  {key: 'failure', label: 'Failure (CRM down or too slow)'},
];
const SOURCES = ['callerid', 'dtmf', 'arg1', 'arg2', 'arg3', 'var'];

const section = () => document.getElementById('editor-screen');
let state = {name: null, isNew: true, etag: null, original: {}, dirty: false};

export function isDirty() {
  return state.dirty;
}

export function currentName() {
  return state.name;
}

export function discard() {
  state.dirty = false;
}

export async function open(name, focusTry) {
  try {
    const {data, etag} = await call('GET', `/api/routes/${encodeURIComponent(name)}`);
    state = {name, isNew: false, etag, original: data, dirty: false};
  } catch (failure) {
    section().replaceChildren(el('h1', {id: 'editor-title', text: `Route ${name}`}), el('p', {role: 'alert', text: failure.message}),
      el('p', {}, el('a', {href: '#/routes', text: 'Back to the routes'})));
    return;
  }
  await render();
  if (focusTry) document.getElementById('try-callerid').focus();
}

export async function openNew(from) {
  let document = {crm: '', object: '', match: {field: 'phone', from: 'callerid'}, field: '', rules: [],
    default: {to: {queue: ''}}};
  let name = '';
  if (from) {
    try {
      document = (await call('GET', `/api/routes/${encodeURIComponent(from)}`)).data;
      name = `${from}-copy`;
    } catch (failure) {
      notify(failure.message);
    }
  }
  state = {name: null, isNew: true, etag: null, original: document, dirty: Boolean(from)};
  await render(name);
}

async function render(newName = '') {
  let crms = [];
  try {
    crms = (await call('GET', '/api/crms')).data;
  } catch (failure) {
    notify(failure.message);
  }
  const doc = state.original;
  const match = doc.match || {};
  const from = String(match.from || 'callerid');
  const dtmf = doc.dtmf || null;
  const title = state.isNew ? 'New route' : `Route ${state.name}`;
  const crmSelect = el('select', {'data-path': 'crm', id: 'route-crm'},
    el('option', {value: '', text: 'Choose a CRM'}),
    crms.map(crm => el('option', {value: crm.name, text: `${crm.name} (${crm.type})`})));
  crmSelect.value = doc.crm || '';
  crmSelect.addEventListener('change', () => suggest(crmSelect.value, value('route-object')));
  if (doc.crm && crmSelect.value !== doc.crm) {
    crmSelect.append(el('option', {value: doc.crm, text: `${doc.crm} (not configured)`}));
    crmSelect.value = doc.crm;
  }
  const sourceSelect = el('select', {'data-path': 'match.from', id: 'route-match-from'},
    SOURCES.map(source => el('option', {value: source, text: source === 'var' ? 'a channel variable' : source})));
  sourceSelect.value = from.startsWith('var ') ? 'var' : (SOURCES.includes(from) ? from : 'callerid');
  const variable = el('input', {type: 'text', id: 'route-match-var', 'data-path': 'match.from',
    value: from.startsWith('var ') ? from.slice(4) : ''});
  const dtmfOn = el('input', {type: 'checkbox', id: 'route-dtmf', checked: Boolean(dtmf)});
  const dtmfFields = el('div', {id: 'dtmf-fields', class: 'grid', hidden: !dtmf},
    labelled('Greeting (prompt)', el('input', {type: 'text', id: 'route-dtmf-prompt', 'data-path': 'dtmf.prompt', value: dtmf?.prompt ?? ''})),
    labelled('Max digits', el('input', {type: 'number', min: 1, id: 'route-dtmf-max', 'data-path': 'dtmf.max-digits', value: dtmf?.['max-digits'] ?? ''})),
    labelled('Digit timeout', el('input', {type: 'text', id: 'route-dtmf-timeout', 'data-path': 'dtmf.timeout', value: dtmf?.timeout ?? '', placeholder: '5s'})));
  dtmfOn.addEventListener('change', () => {
    dtmfFields.hidden = !dtmfOn.checked;
  });
  const variableField = labelled('Variable name', variable);
  variableField.hidden = sourceSelect.value !== 'var';
  sourceSelect.addEventListener('change', () => {
    variableField.hidden = sourceSelect.value !== 'var';
  });
  const form = el('form', {id: 'route-form', novalidate: true, onsubmit: save, oninput: () => changed(), onchange: () => changed()},
    el('ul', {id: 'form-problems', class: 'problems', role: 'alert'}),
    state.isNew ? labelled('Route name', el('input', {type: 'text', id: 'route-name', 'data-path': 'name', value: newName,
      required: true, autocomplete: 'off'}), 'The AGI script name: AGI(agi://crmroute:4573/NAME). Letters, digits, _ . -') : null,
    el('fieldset', {},
      el('legend', {text: 'Lookup'}),
      el('div', {class: 'grid'},
        labelled('CRM', crmSelect),
        labelled('Object', el('input', {type: 'text', id: 'route-object', 'data-path': 'object', value: doc.object ?? '', placeholder: 'contacts',
          list: OBJECTS_LIST, autocomplete: 'off', onchange: () => suggestFields(value('route-crm'), value('route-object'))})),
        labelled('Match field', el('input', {type: 'text', id: 'route-match-field', 'data-path': 'match.field', value: match.field ?? 'phone',
          list: FIELDS_LIST, autocomplete: 'off'})),
        labelled('Match value from', sourceSelect),
        variableField,
        labelled('Fields to retrieve', el('input', {type: 'text', id: 'route-retrieve', 'data-path': 'retrieve',
          value: Array.isArray(doc.retrieve) ? doc.retrieve.join(', ') : ''}), 'Comma separated; set as CRM_object_field variables'),
        labelled('Compared field', el('input', {type: 'text', id: 'route-field', 'data-path': 'field', value: doc.field ?? '',
          list: FIELDS_LIST, autocomplete: 'off'})),
        labelled('Records', el('input', {type: 'number', min: 1, id: 'route-records', 'data-path': 'records', value: doc.records ?? ''}), 'Default 1'),
        labelled('Budget (timeout)', el('input', {type: 'text', id: 'route-timeout', 'data-path': 'timeout', value: doc.timeout ?? '', placeholder: '1500ms'}))),
      schemaLists(() => value('route-crm'), () => value('route-object')),
      el('p', {class: 'field inline'}, dtmfOn, el('label', {for: 'route-dtmf', text: 'Ask the caller for digits first (DTMF)'})),
      dtmfFields),
    el('fieldset', {},
      el('legend', {text: 'Rules, tried top to bottom'}),
      el('ol', {id: 'rules', class: 'rules'}),
      el('p', {}, el('button', {type: 'button', id: 'add-rule', text: 'Add rule', onclick: addRule}))),
    el('fieldset', {},
      el('legend', {text: 'Where other calls go'}),
      FALLBACKS.map(fallback => destinationFields(fallback.key, fallback.label, doc[fallback.key], !fallback.required))),
    el('p', {class: 'actions'},
      el('button', {type: 'submit', id: 'save-route', text: 'Save route'}),
      el('a', {href: '#/routes', text: 'Back to the routes'})),
    el('div', {id: 'stale', class: 'card warning', role: 'alert', hidden: true}),
    el('p', {id: 'editor-status', role: 'status'}));
  section().replaceChildren(el('h1', {id: 'editor-title', text: title}), form, tryPanel(collect, placeProblems, () => state.name || 'draft'));
  renderRules(Array.isArray(doc.rules) ? doc.rules : []);
  suggest(crmSelect.value, value('route-object'));
}

function changed() {
  state.dirty = true;
  document.getElementById('editor-status').textContent = '';
}

function destinationFields(key, label, path, optional) {
  const {type, target} = destination(path?.to);
  const typeSelect = el('select', {id: `route-${key}-type`, 'data-path': `${key}.to`},
    optional ? el('option', {value: '', text: 'Not set'}) : null,
    DESTINATION_TYPES.map(d => el('option', {value: d.value, text: d.label})));
  typeSelect.value = type || (optional ? '' : 'queue');
  return el('div', {class: 'grid destination', 'data-fallback': key},
    el('p', {class: 'group-label', text: label}),
    labelled(`${label}: destination type`, typeSelect),
    labelled(`${label}: number or name`, el('input', {type: 'text', id: `route-${key}-target`, 'data-path': `${key}.to`, value: target})),
    el('p', {class: 'field inline'},
      el('input', {type: 'checkbox', id: `route-${key}-voicemail`, 'data-path': `${key}.voicemail`, checked: Boolean(path?.voicemail)}),
      el('label', {for: `route-${key}-voicemail`, text: `${label}: voicemail`})));
}

function renderRules(rules) {
  const list = document.getElementById('rules');
  list.replaceChildren(...rules.map((rule, index) => ruleRow(rule, index, rules.length)));
}

function ruleRow(rule, index, count) {
  const n = index + 1;
  const {type, target} = destination(rule.to);
  const op = el('select', {id: `rule-${n}-op`, 'data-path': `rules[${index}].op`}, OPERATORS.map(o => el('option', {value: o, text: o})));
  op.value = OPERATORS.includes(String(rule.op)) ? String(rule.op) : '=';
  const typeSelect = el('select', {id: `rule-${n}-type`, 'data-path': `rules[${index}].to`},
    DESTINATION_TYPES.map(d => el('option', {value: d.value, text: d.label})));
  typeSelect.value = type || 'queue';
  return el('li', {class: 'rule', 'data-rule': n},
    el('fieldset', {},
      el('legend', {text: `Rule ${n}`}),
      el('div', {class: 'grid'},
        labelled(`Rule ${n} name`, el('input', {type: 'text', id: `rule-${n}-name`, 'data-path': `rules[${index}].name`, value: rule.name ?? ''})),
        labelled(`Rule ${n} field`, el('input', {type: 'text', id: `rule-${n}-field`, 'data-path': `rules[${index}].field`, value: rule.field ?? '',
          placeholder: 'the compared field', list: FIELDS_LIST, autocomplete: 'off'})),
        labelled(`Rule ${n} operator`, op),
        labelled(`Rule ${n} value`, el('input', {type: 'text', id: `rule-${n}-value`, 'data-path': `rules[${index}].value`, value: rule.value ?? ''})),
        labelled(`Rule ${n} destination type`, typeSelect),
        labelled(`Rule ${n} number or name`, el('input', {type: 'text', id: `rule-${n}-target`, 'data-path': `rules[${index}].to`, value: target})),
        el('p', {class: 'field inline'},
          el('input', {type: 'checkbox', id: `rule-${n}-voicemail`, 'data-path': `rules[${index}].voicemail`, checked: Boolean(rule.voicemail)}),
          el('label', {for: `rule-${n}-voicemail`, text: `Rule ${n} voicemail`}))),
      el('p', {class: 'row-actions'},
        el('button', {type: 'button', 'aria-label': `Move rule ${n} up`, text: 'Up', disabled: index === 0, onclick: () => moveRule(index, -1)}),
        el('button', {type: 'button', 'aria-label': `Move rule ${n} down`, text: 'Down', disabled: index === count - 1, onclick: () => moveRule(index, 1)}),
        el('button', {type: 'button', class: 'danger', 'aria-label': `Remove rule ${n}`, text: 'Remove', onclick: () => removeRule(index)}))));
}

function addRule() {
  const rules = collectRules();
  rules.push({op: '=', value: '', to: {queue: ''}});
  renderRules(rules);
  changed();
  document.getElementById(`rule-${rules.length}-name`).focus();
}

function moveRule(index, step) {
  const rules = collectRules();
  const [moved] = rules.splice(index, 1);
  rules.splice(index + step, 0, moved);
  renderRules(rules);
  changed();
  const n = index + step + 1;
  const button = document.querySelector(`[aria-label="Move rule ${n} ${step < 0 ? 'up' : 'down'}"]`);
  (button && !button.disabled ? button : document.getElementById(`rule-${n}-name`)).focus();
}

function removeRule(index) {
  const rules = collectRules();
  rules.splice(index, 1);
  renderRules(rules);
  changed();
  document.getElementById('add-rule').focus();
}

const value = id => document.getElementById(id).value.trim();
const checked = id => document.getElementById(id).checked;

function collectRules() {
  const rules = [];
  const count = document.querySelectorAll('#rules > li').length;
  for (let n = 1; n <= count; n += 1) {
    const rule = {};
    if (value(`rule-${n}-name`)) rule.name = value(`rule-${n}-name`);
    rule.op = value(`rule-${n}-op`);
    if (value(`rule-${n}-field`)) rule.field = value(`rule-${n}-field`);
    rule.value = value(`rule-${n}-value`);
    rule.to = {[value(`rule-${n}-type`)]: value(`rule-${n}-target`)};
    if (checked(`rule-${n}-voicemail`)) rule.voicemail = true;
    rules.push(rule);
  }
  return rules;
}

function setOrDelete(doc, key, text) {
  if (text === '' || text === undefined) delete doc[key]; else doc[key] = text;
}

/** The route document the form shows; keys the form does not know are kept as they were. */
function collect() {
  const doc = structuredClone(state.original || {});
  doc.crm = value('route-crm');
  doc.object = value('route-object');
  const source = value('route-match-from');
  doc.match = Object.assign({}, doc.match, {field: value('route-match-field'),
    from: source === 'var' ? `var ${value('route-match-var')}` : source});
  if (checked('route-dtmf')) {
    const dtmf = Object.assign({}, doc.dtmf);
    setOrDelete(dtmf, 'prompt', value('route-dtmf-prompt'));
    const max = value('route-dtmf-max');
    setOrDelete(dtmf, 'max-digits', max === '' ? '' : (Number.isFinite(Number(max)) ? Number(max) : max));
    setOrDelete(dtmf, 'timeout', value('route-dtmf-timeout'));
    doc.dtmf = dtmf;
  } else {
    delete doc.dtmf;
  }
  const retrieve = value('route-retrieve').split(',').map(s => s.trim()).filter(Boolean);
  if (retrieve.length) doc.retrieve = retrieve; else delete doc.retrieve;
  doc.field = value('route-field');
  const records = value('route-records');
  setOrDelete(doc, 'records', records === '' ? '' : (Number.isFinite(Number(records)) ? Number(records) : records));
  setOrDelete(doc, 'timeout', value('route-timeout'));
  doc.rules = collectRules();
  for (const {key, required} of FALLBACKS) {
    const type = value(`route-${key}-type`);
    if (!type && !required) {
      delete doc[key];
      continue;
    }
    const path = {to: {[type]: value(`route-${key}-target`)}};
    if (checked(`route-${key}-voicemail`)) path.voicemail = true;
    doc[key] = path;
  }
  return doc;
}

function clearProblems() {
  for (const old of document.querySelectorAll('.field-problem')) old.remove();
  for (const invalid of document.querySelectorAll('[aria-invalid]')) {
    invalid.removeAttribute('aria-invalid');
    const described = (invalid.getAttribute('aria-describedby') || '').split(' ').filter(id => !id.startsWith('problem-'));
    if (described.length) invalid.setAttribute('aria-describedby', described.join(' ')); else invalid.removeAttribute('aria-describedby');
  }
  const list = document.getElementById('form-problems');
  if (list) list.replaceChildren();
}

/** "rules[0].to.queue" -> "rules[0].to" -> "rules[0]" -> "rules" -> "". */
function parentPath(path) {
  const parent = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
  return parent === path ? '' : parent;
}

/** Each {path, message} beside the control of that path (or its nearest parent); the rest in a list on top. */
function placeProblems(problems) {
  clearProblems();
  let counter = 0;
  for (const problem of problems) {
    let path = problem.path || '';
    let control = null;
    while (path && !control) {
      control = document.querySelector(`#route-form [data-path="${CSS.escape(path)}"]`);
      if (!control) path = parentPath(path);
    }
    if (!control) {
      document.getElementById('form-problems').append(el('li', {text: problem.path ? `${problem.path}: ${problem.message}` : problem.message}));
      continue;
    }
    counter += 1;
    const id = `problem-${counter}`;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', `${control.getAttribute('aria-describedby') || ''} ${id}`.trim());
    control.closest('.field').append(el('span', {id, class: 'problem field-problem', 'data-problem-for': problem.path, text: problem.message}));
  }
  const first = document.querySelector('#route-form [aria-invalid="true"]');
  if (first) first.focus();
}

async function save(event) {
  event.preventDefault();
  clearProblems();
  const stale = document.getElementById('stale');
  stale.hidden = true;
  const status = document.getElementById('editor-status');
  const name = state.isNew ? value('route-name') : state.name;
  if (state.isNew) {
    if (!name) {
      placeProblems([{path: 'name', message: 'Give the route a name.'}]);
      return;
    }
    try {
      const {data} = await call('GET', '/api/routes');
      if (data.some(route => route.name === name)) {
        placeProblems([{path: 'name', message: `A route named ${name} already exists: choose another name.`}]);
        return;
      }
    } catch (failure) {
      status.textContent = failure.message;
      return;
    }
  }
  const doc = collect();
  try {
    const {etag} = await call('PUT', `/api/routes/${encodeURIComponent(name)}`, {body: doc, etag: state.etag});
    state = {name, isNew: false, etag, original: doc, dirty: false};
    if (location.hash !== `#/routes/${encodeURIComponent(name)}`) {
      history.replaceState(null, '', `#/routes/${encodeURIComponent(name)}`);
      document.getElementById('editor-title').textContent = `Route ${name}`;
      const nameField = document.getElementById('route-name');
      if (nameField) nameField.closest('.field').remove();
    }
    status.textContent = `Saved route ${name}. The next call uses it.`;
  } catch (failure) {
    if (failure.status === 412) {
      stale.replaceChildren(
        el('p', {text: `${failure.message} Reload it to see the current version; your changes here will be lost.`}),
        el('button', {type: 'button', id: 'reload-route', text: 'Reload route', onclick: () => {
          state.dirty = false;
          open(name, false);
        }}));
      stale.hidden = false;
      document.getElementById('reload-route').focus();
    } else if (failure.status === 400) {
      placeProblems(failure.problems);
      status.textContent = `Not saved: ${failure.message}`;
    } else {
      status.textContent = `Not saved: ${failure.message}`;
    }
  }
}
