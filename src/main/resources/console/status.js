// Status: each CRM's health, the listener, the database, the nodes sharing it, and the calls per status since start.
import {call, health} from './api.js';
import {el, formatTime, notify} from './dom.js';

const section = () => document.getElementById('status-screen');

export async function open() {
  section().replaceChildren(el('h1', {id: 'status-title', text: 'Status'}), el('p', {text: 'Loading…'}));
  let checks = [];
  let status = {storage: {}, calls: {}};
  try {
    [checks, status] = await Promise.all([health().then(body => body.checks || []), call('GET', '/api/status').then(r => r.data)]);
  } catch (failure) {
    notify(failure.message);
  }
  const byName = Object.fromEntries(checks.map(check => [check.name, check]));
  const crms = byName.crms ? Object.entries(byName.crms.details || {}) : [];
  const agi = byName.agi;
  const database = byName.database;
  const storage = status.storage || {};
  const nodes = status.nodes || [];
  section().replaceChildren(
    el('h1', {id: 'status-title', text: 'Status'}),
    el('section', {class: 'card', 'aria-labelledby': 'crms-title'},
      el('h2', {id: 'crms-title', text: 'CRMs'}),
      el('div', {class: 'scroll'}, el('table', {class: 'list', 'aria-labelledby': 'crms-title'},
        el('thead', {}, el('tr', {}, ['CRM', 'State', 'Last success', 'Last failure', 'Last error', 'Breaker'].map(h => el('th', {scope: 'col', text: h})))),
        el('tbody', {}, crms.map(([name, crm]) => el('tr', {},
          el('th', {scope: 'row', text: name}), el('td', {text: crm.up ? 'up' : 'down'}),
          el('td', {text: formatTime(crm.lastSuccess) || 'none yet'}), el('td', {text: formatTime(crm.lastFailure) || 'none'}),
          el('td', {text: crm.lastError || ''}), el('td', {text: crm.breaker }))))))),
    el('section', {class: 'card', 'aria-labelledby': 'node-title'},
      el('h2', {id: 'node-title', text: 'This node'}),
      el('dl', {class: 'pairs'},
        el('dt', {text: 'FastAGI listener'}),
        el('dd', {text: agi ? `${agi.up ? 'up' : 'down'}, port ${agi.details.port}, ${agi.details.sessionsInFlight} calls in progress` : 'unknown'}),
        el('dt', {text: 'Database'}),
        el('dd', {text: database ? `${database.up ? 'up' : 'down'}${database.details.lastError ? `: ${database.details.lastError}` : ''}`
          : 'none configured'}),
        el('dt', {text: 'Routes kept in'}),
        el('dd', {text: storage.kind === 'local' ? `the local route store ${storage.routes_at}` : 'the database'}),
        el('dt', {text: 'Decisions kept'}),
        el('dd', {text: storage.kind === 'local'
          ? `the last ${Number(storage.decisions_kept).toLocaleString('en')} in memory (history across restarts needs the database)`
          : 'all, in the database'}))),
    // Only with a database: the nodes sharing it, down once silent for three heartbeats.
    ...(nodes.length === 0 ? [] : [el('section', {class: 'card', 'aria-labelledby': 'nodes-title'},
      el('h2', {id: 'nodes-title', text: 'Nodes'}),
      el('div', {class: 'scroll'}, el('table', {class: 'list', 'aria-labelledby': 'nodes-title'},
        el('thead', {}, el('tr', {}, ['Node', 'State', 'Version', 'Last heartbeat', 'Started'].map(h => el('th', {scope: 'col', text: h})))),
        el('tbody', {}, nodes.map(node => el('tr', {},
          el('th', {scope: 'row', text: node.id}), el('td', {text: node.up ? 'up' : 'down'}), el('td', {text: node.version}),
          el('td', {text: formatTime(node.last_heartbeat)}), el('td', {text: formatTime(node.started_at)})))))))]),
    el('section', {class: 'card', 'aria-labelledby': 'calls-title'},
      el('h2', {id: 'calls-title', text: 'Calls since start, per status'}),
      el('table', {class: 'list', 'aria-labelledby': 'calls-title'},
        el('thead', {}, el('tr', {}, el('th', {scope: 'col', text: 'Status'}), el('th', {scope: 'col', text: 'Calls'}))),
        el('tbody', {id: 'calls-body'}, Object.entries(status.calls || {}).map(([name, count]) =>
          el('tr', {}, el('th', {scope: 'row', text: name}), el('td', {text: count})))))),
    el('p', {}, el('button', {type: 'button', text: 'Refresh', onclick: open})));
}
