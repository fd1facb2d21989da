// The route document as the editor and lists read it: destinations and fallbacks.

export const DESTINATION_TYPES = [
  {value: 'queue', label: 'Queue'},
  {value: 'ivr', label: 'IVR'},
  {value: 'recording', label: 'Recording'},
  {value: 'extension', label: 'Extension'},
];

export const OPERATORS = ['=', '!=', '<', '>', '<=', '>='];

/** {queue: "103"} -> {type: 'queue', target: '103'}; anything else -> empty. */
export function destination(to) {
  if (!to || typeof to !== 'object') return {type: '', target: ''};
  const type = DESTINATION_TYPES.map(d => d.value).find(key => key in to) || '';
  return {type, target: type ? String(to[type] ?? '') : ''};
}

/** "queue 103 (voicemail)" for a fallback or a rule. */
export function describeDestination(path) {
  if (!path) return '';
  const {type, target} = destination(path.to);
  if (!type) return '';
  return `${type} ${target}${path.voicemail ? ' (voicemail)' : ''}`;
}
