// What the admin tabs' forms share: a labelled field with its error slot, a select's options, and
// drawing a form's state (field errors, the problem above the buttons, the busy save button).
// A form's state is { fields, errors: [{ field, key | text }], problem: { error } |
// { title | titleKey } | null, busy }; ids follow admin-<form>-<field>.
import { showProblem } from '../../../app/problem.js';
import { t } from '../../../i18n/i18n.js';
import { el } from '../../../shared/dom.js';

/** The area's time zone until an answer names it (rosters answer timeZone). */
export { ZONE } from '../../../shared/area.js';

export function field(form, name, labelKey, control) {
  return `
        <div class="admin-field" data-field="${name}">
          <label for="admin-${form}-${name}" data-i18n="${labelKey}"></label>
          ${control}
          <p class="admin-field-error" id="admin-${form}-${name}-error"></p>
        </div>`;
}

export function options(select, items, value) {
  select.replaceChildren(...items.map(([v, label]) => el('option', { value: v }, label)));
  select.value = value ?? '';
}

/** Draws form `name`'s state f; slotId is the element holding the form's problem. */
export function renderFormState($, name, f, slotId) {
  for (const fieldName of f.fields) {
    const err = f.errors.find((e) => e.field === fieldName);
    const control = $(`#admin-${name}-${fieldName}`);
    $(`#admin-${name}-${fieldName}-error`).textContent = err ? (err.text ?? t(err.key)) : '';
    if (err) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
  const slot = $(`#${slotId}`);
  if (!f.problem) showProblem(slot, null);
  else if (f.problem.error) showProblem(slot, f.problem.error);
  else {
    slot.replaceChildren(
      el(
        'div',
        { className: 'gg-problem', role: 'alert' },
        el('strong', { className: 'gg-problem-title' }, f.problem.titleKey ? t(f.problem.titleKey) : f.problem.title),
      ),
    );
    slot.hidden = false;
  }
  $(`#admin-${name}-save`).disabled = f.busy;
}
