// Pure logic of the command centre's campaign progress part (docs/tasks.md): what to ask the
// server and how its figures read. No DOM here, so Vitest checks it without a browser.

/** The progress request of a campaign, by grid or community. */
export function progressPath(id, by) {
  const b = by === 'community' ? 'community' : 'grid';
  return `/api/v1/campaigns/${encodeURIComponent(id)}/progress?by=${b}`;
}

/** A share 0..1 as a whole percentage ("–" without a base). */
export function percent(share) {
  if (share === null || share === undefined || Number.isNaN(share)) return '–';
  return `${Math.round(share * 100)}%`;
}

/** How a coverage reads at a glance: done, on its way, or behind. */
export function coverageClass(coverage) {
  if (coverage >= 0.999) return 'cov-done';
  if (coverage >= 0.5) return 'cov-mid';
  return 'cov-low';
}

/**
 * The table rows of a progress answer: the worst first (overdue, then the lowest coverage), each
 * with its figures as shown; the total last.
 */
export function progressRows(answer) {
  const rows = (answer?.rows ?? []).map((r) => ({
    key: String(r.gridId ?? r.communityId ?? ''),
    name: r.name || r.code || String(r.gridId ?? r.communityId ?? ''),
    targets: r.targets,
    done: r.done,
    onTime: r.onTime,
    overdue: r.overdue,
    failedChecks: r.failedChecks,
    coverage: r.coverage,
    coverageText: percent(r.coverage),
    cls: coverageClass(r.coverage),
    total: false,
  }));
  rows.sort((a, b) => b.overdue - a.overdue || a.coverage - b.coverage || a.name.localeCompare(b.name));
  if (answer?.total) {
    const t = answer.total;
    rows.push({
      key: 'total',
      name: '',
      targets: t.targets,
      done: t.done,
      onTime: t.onTime,
      overdue: t.overdue,
      failedChecks: t.failedChecks,
      coverage: t.coverage,
      coverageText: percent(t.coverage),
      cls: coverageClass(t.coverage),
      total: true,
    });
  }
  return rows;
}

/** One campaign's line in the list: its done share and whether it has ended. */
export function campaignSummary(c, now = new Date()) {
  const share = c.targets > 0 ? c.done / c.targets : null;
  return {
    id: c.id,
    name: c.name,
    share,
    shareText: percent(share),
    ended: new Date(c.endsAt).getTime() <= now.getTime(),
    endsAt: c.endsAt,
    targets: c.targets,
    done: c.done,
  };
}
