// Shows an error to the user: the server's problem title and detail (and the offending field),
// or a network failure, in a box with role=alert.
import { t } from '../i18n/i18n.js';

export function showProblem(slot, error) {
  slot.replaceChildren();
  if (!error) {
    slot.hidden = true;
    return;
  }
  const p = error.problem ?? { title: error.name, detail: String(error.message ?? error) };
  const box = document.createElement('div');
  box.className = 'gg-problem';
  box.setAttribute('role', 'alert');
  const title = document.createElement('strong');
  title.className = 'gg-problem-title';
  title.textContent = p.status === 0 ? t('app.problem.network') : p.title;
  const detail = document.createElement('span');
  detail.className = 'gg-problem-detail';
  detail.textContent = p.detail ?? '';
  box.append(title, detail);
  if (p.field) {
    const field = document.createElement('div');
    field.className = 'gg-field';
    field.textContent = p.field;
    box.append(field);
  }
  slot.append(box);
  slot.hidden = false;
}
