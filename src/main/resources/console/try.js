// Try a call: the draft in the editor, run server-side on the real call path, explained as text.
import {call} from './api.js';
import {el, labelled} from './dom.js';

/**
 * The panel under the editor. collect() gives the draft route document, placeProblems shows a 400 beside
 * the editor's fields, name() is the route name the call asks for.
 */
export function tryPanel(collect, placeProblems, name) {
  const result = el('div', {id: 'try-result', 'aria-live': 'polite'});
  const form = el('form', {id: 'try-form', onsubmit: event => run(event, collect, placeProblems, name, result)},
    el('div', {class: 'grid'},
      labelled('Caller ID', el('input', {type: 'text', id: 'try-callerid', autocomplete: 'off', placeholder: '+15551230001'}),
        'Empty or "unknown": withheld'),
      labelled('Digits pressed', el('input', {type: 'text', id: 'try-dtmf', autocomplete: 'off', inputmode: 'numeric'})),
      labelled('AGI arguments', el('input', {type: 'text', id: 'try-args', autocomplete: 'off'}), 'Comma separated: arg1, arg2, ...'),
      labelled('Channel variables', el('textarea', {id: 'try-vars', rows: 2}), 'One NAME=value per line')),
    el('p', {}, el('button', {type: 'submit', id: 'try-call', text: 'Try a call on this draft'})));
  return el('section', {class: 'card', 'aria-labelledby': 'try-title'},
    el('h2', {id: 'try-title', text: 'Try a call'}),
    el('p', {class: 'hint', text: 'Runs the route as shown above, saved or not, for this caller: the CRM is really asked, nothing is recorded.'}),
    form, result);
}

function variables(text) {
  const vars = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) vars[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return vars;
}

async function run(event, collect, placeProblems, name, result) {
  event.preventDefault();
  const value = id => document.getElementById(id).value;
  const body = {
    name: name(),
    route: collect(),
    callerid: value('try-callerid').trim(),
    dtmf: value('try-dtmf').trim(),
    args: value('try-args').split(',').map(arg => arg.trim()).filter(Boolean),
    vars: variables(value('try-vars')),
  };
  result.replaceChildren(el('p', {text: 'Calling…'}));
  try {
    const {data} = await call('POST', '/api/simulate', {body});
    placeProblems([]);
    result.replaceChildren(...explain(data));
  } catch (failure) {
    if (failure.status === 400) placeProblems(failure.problems);
    result.replaceChildren(el('p', {class: 'problem', role: 'alert', text: `Not tried: ${failure.message}`}));
  }
}

function table(caption, rows) {
  return el('table', {class: 'pairs'}, el('caption', {text: caption}),
    el('tbody', {}, rows.map(([key, value]) => el('tr', {}, el('th', {scope: 'row', text: key}), el('td', {text: value ?? ''})))));
}

/** What simulate prints, as elements: every value from the CRM or the caller goes in as text. */
export function explain(data) {
  const decision = data.decision || {};
  const parts = [];
  const where = decision.type ? ` → ${decision.type} ${decision.dest}${decision.voicemail ? ' (voicemail)' : ''}` : '';
  parts.push(el('p', {class: `decision status-${String(decision.status).toLowerCase()}`, id: 'try-decision'},
    el('strong', {text: decision.status}), where, ` by ${decision.rule || '-'}`, decision.error ? `: ${decision.error}` : ''));
  parts.push(el('h3', {text: 'CRM request'}));
  parts.push(data.requests.length
    ? el('ul', {id: 'try-requests'}, data.requests.map(line => el('li', {}, el('code', {text: line}))))
    : el('p', {text: 'none sent'}));
  const lookup = data.lookup || {};
  parts.push(el('h3', {text: 'What the CRM answered'}));
  if (lookup.outcome === 'found') {
    parts.push(el('p', {text: `${lookup.total} record${lookup.total === 1 ? '' : 's'} found`
      + (data.crm_ms === null ? '' : ` in ${data.crm_ms} ms`)}));
    (lookup.records || []).forEach((record, index) => parts.push(table(`Record ${index + 1}`, Object.entries(record))));
  } else {
    parts.push(el('p', {text: lookup.explain || ''}));
  }
  parts.push(el('h3', {text: 'Rules, in order'}));
  parts.push(data.rules.length
    ? el('ol', {id: 'try-rules'}, data.rules.map(rule => el('li', {class: rule.held ? 'held' : 'not-held', text: rule.explain})))
    : el('p', {text: 'no rule evaluated'}));
  if (data.not_evaluated > 0) parts.push(el('p', {text: `${data.not_evaluated} later rule${data.not_evaluated === 1 ? '' : 's'} not evaluated`}));
  parts.push(table('Variables set', Object.entries(data.variables || {})));
  return parts;
}
