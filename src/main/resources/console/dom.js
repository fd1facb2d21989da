// Builds elements from data as text only (textContent, never markup), so a CRM value can never become HTML.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'value') node.value = String(value);
    else if (key === 'checked') node.checked = Boolean(value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

let unique = 0;

/** A fresh id for label/for pairs. */
export function nextId(prefix) {
  unique += 1;
  return `${prefix}-${unique}`;
}

/** A labelled control in a <p>: the label names the control for screen readers and tests. */
export function labelled(text, control, hint) {
  if (!control.id) control.id = nextId('field');
  const parts = [el('label', {for: control.id, text}), control];
  if (hint) {
    const hintId = nextId('hint');
    control.setAttribute('aria-describedby', hintId);
    parts.push(el('small', {id: hintId, class: 'hint', text: hint}));
  }
  return el('p', {class: 'field'}, parts);
}

/** Asks in the page's <dialog>; resolves true when the admin confirms. */
export function confirmDialog(text, okLabel) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-text').textContent = text;
  document.getElementById('confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), {once: true});
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

/** A short message for everyone, read out by screen readers. */
export function notify(text) {
  document.getElementById('notice').textContent = text;
}

/** "2026-01-31 09:00:00" in the browser's time zone, from an ISO instant. */
export function formatTime(iso) {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return String(iso);
  const pad = n => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} `
    + `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}
