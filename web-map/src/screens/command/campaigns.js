// Campaign progress (专项行动进度, docs/tasks.md): the campaigns and, for the one picked, its
// progress by grid or community — targets, done, on time, overdue, failed checks, coverage. Only
// for those who read KPIs; hidden for others.
import { api } from '../../api/client.js';
import { t, formatDateTime } from '../../i18n/i18n.js';
import { showProblem } from '../../app/problem.js';
import { progressPath, progressRows, campaignSummary } from './campaigns-logic.js';

/** Mounts the part into `section` (hidden until there is a campaign to show). */
export function mountCampaigns(section) {
  const st = { campaigns: [], picked: null, by: 'grid', progress: null };

  async function load() {
    try {
      const answer = await api('/api/v1/campaigns');
      st.campaigns = answer.campaigns.map((c) => campaignSummary(c));
      render();
    } catch {
      section.hidden = true;
    }
  }

  async function pick(id, by = st.by) {
    st.picked = id;
    st.by = by;
    try {
      st.progress = await api(progressPath(id, by));
      render();
    } catch (e) {
      render();
      showProblem(section.querySelector('#campaigns-problem'), e);
    }
  }

  function render() {
    section.hidden = st.campaigns.length === 0;
    const h = document.createElement('h2');
    h.textContent = t('command.campaigns.title', { n: st.campaigns.length });
    const problem = document.createElement('div');
    problem.id = 'campaigns-problem';
    problem.hidden = true;
    const list = document.createElement('ul');
    list.className = 'board-list';
    for (const c of st.campaigns) {
      const li = document.createElement('li');
      li.dataset.campaignId = c.id;
      li.className = st.picked === c.id ? 'selected' : '';
      const strong = document.createElement('strong');
      strong.textContent = c.name;
      const small = document.createElement('div');
      small.className = 'gg-hint';
      small.textContent = t(c.ended ? 'command.campaigns.ended' : 'command.campaigns.until', {
        done: c.done,
        targets: c.targets,
        share: c.shareText,
        at: formatDateTime(c.endsAt),
      });
      li.append(strong, small);
      li.addEventListener('click', () => pick(c.id));
      list.append(li);
    }
    const parts = [h, problem, list];
    if (st.picked !== null && st.progress) parts.push(table());
    section.replaceChildren(...parts);
  }

  function table() {
    const wrap = document.createElement('div');
    const by = document.createElement('select');
    by.id = 'campaigns-by';
    by.setAttribute('aria-label', t('command.campaigns.by'));
    for (const v of ['grid', 'community']) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = t(`command.campaigns.by.${v}`);
      o.selected = v === st.by;
      by.append(o);
    }
    by.addEventListener('change', () => pick(st.picked, by.value));
    const tbl = document.createElement('table');
    tbl.className = 'campaign-progress';
    const head = document.createElement('tr');
    for (const k of ['unit', 'targets', 'done', 'onTime', 'overdue', 'failed', 'coverage']) {
      const th = document.createElement('th');
      th.textContent = t(`command.campaigns.col.${k}`);
      head.append(th);
    }
    tbl.append(head);
    for (const r of progressRows(st.progress)) {
      const tr = document.createElement('tr');
      tr.className = r.total ? 'total' : r.cls;
      const cells = [
        r.total ? t('command.campaigns.total') : r.name,
        r.targets,
        r.done,
        r.onTime,
        r.overdue,
        r.failedChecks,
        r.coverageText,
      ];
      for (const v of cells) {
        const td = document.createElement('td');
        td.textContent = String(v);
        tr.append(td);
      }
      tbl.append(tr);
    }
    wrap.append(by, tbl);
    return wrap;
  }

  load();
  return { reload: load, render };
}
