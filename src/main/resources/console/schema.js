// The chosen CRM's own objects and fields as suggestions (<datalist>) for the editor's object and field inputs.
// Suggestions only: when the CRM cannot say (no schema, down, unknown object) the inputs stay free text.
import {call} from './api.js';
import {el} from './dom.js';

export const OBJECTS_LIST = 'crm-objects';
export const FIELDS_LIST = 'crm-fields';

let asked = 0; // answers to an older question (another CRM chosen meanwhile) are dropped

/** The two empty lists, the hint line and the refresh button the editor places in its form. */
export function schemaLists(crm, object) {
  return [el('datalist', {id: OBJECTS_LIST}), el('datalist', {id: FIELDS_LIST}),
    el('p', {class: 'field inline row-actions'},
      el('button', {type: 'button', id: 'refresh-schema', text: 'Reload objects and fields from the CRM',
        onclick: () => suggest(crm(), object(), true)}),
      el('span', {id: 'schema-hint', class: 'hint', role: 'status'}))];
}

function fill(id, items) {
  const list = document.getElementById(id);
  if (!list) return;
  list.replaceChildren(...items.map(item => el('option', {value: item.name, label: item.label === item.name ? '' : item.label})));
}

function hint(text) {
  const line = document.getElementById('schema-hint');
  if (line) line.textContent = text;
}

/** Suggests the objects of {@code crm} and, when {@code object} is set, its fields; {@code refresh}: ask the CRM anew. */
export async function suggest(crm, object, refresh = false) {
  const question = ++asked;
  fill(OBJECTS_LIST, []);
  fill(FIELDS_LIST, []);
  hint('');
  if (!crm) return;
  try {
    const {data} = await call('GET', `/api/crms/${encodeURIComponent(crm)}/objects${refresh ? '?refresh=true' : ''}`);
    if (question !== asked) return;
    fill(OBJECTS_LIST, Array.isArray(data) ? data : []);
  } catch (failure) {
    if (question === asked && failure.status === 422) hint(`${failure.message}: type the names as the CRM spells them.`);
    return;
  }
  await suggestFields(crm, object, question);
}

/** Suggests the fields of {@code object} in {@code crm}. */
export async function suggestFields(crm, object, question = ++asked) {
  fill(FIELDS_LIST, []);
  if (!crm || !object) return;
  try {
    const {data} = await call('GET', `/api/crms/${encodeURIComponent(crm)}/objects/${encodeURIComponent(object)}/fields`);
    if (question === asked) fill(FIELDS_LIST, Array.isArray(data) ? data : []);
  } catch (failure) {
    // An object the CRM does not know, or a CRM that is down: no suggestions, the input stays free text.
  }
}
