// Building DOM without a framework, shared by the screens.

/**
 * el('li', { class, dataset, on: { click }, ...properties or attributes }, ...children): an element;
 * a key the element has as a property (id, className, hidden, disabled, …) is set as one, any
 * other as an attribute; null and undefined children are skipped.
 */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}
