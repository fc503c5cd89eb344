// What each queued item sends: method, path, headers and body, built when it is sent (so a task
// completion can name the photos that were uploaded just before it). No DOM, no fetch: Vitest
// checks every kind.

/** The kinds of queued items. */
export const KIND = Object.freeze({
  ACTION: 'action',
  MEDIA: 'media',
  REPORT: 'report',
  POSITIONS: 'positions',
  TASK_PHOTO: 'task-photo',
  TASK_COMPLETE: 'task-complete',
});

function blobOf(photo) {
  return new Blob([photo.bytes], { type: photo.type });
}

/**
 * item → {method, path, headers, json | form}. results: Map key → {mediaId} of done items (a
 * completion's answers name their photos by the photo items' keys, `photoKeys`).
 */
export function requestFor(item, results = new Map()) {
  const headers = { 'Idempotency-Key': item.key };
  switch (item.kind) {
    case KIND.ACTION:
      return {
        method: 'POST',
        path: `/api/v1/incidents/${item.incidentId}/actions`,
        headers,
        json: item.body,
      };
    case KIND.MEDIA: {
      const form = new FormData();
      form.append('stage', item.stage);
      if (item.note) form.append('note', item.note);
      for (const p of item.photos) form.append('photo', blobOf(p), p.name);
      return { method: 'POST', path: `/api/v1/incidents/${item.incidentId}/media`, headers, form };
    }
    case KIND.REPORT: {
      if (!item.photos?.length) return { method: 'POST', path: '/api/v1/incidents', headers, json: item.report };
      const form = new FormData();
      form.append('report', new Blob([JSON.stringify(item.report)], { type: 'application/json' }));
      for (const p of item.photos) form.append('photo', blobOf(p), p.name);
      return { method: 'POST', path: '/api/v1/incidents', headers, form };
    }
    case KIND.POSITIONS:
      // re-sending a batch is harmless: a stored (person, time) is skipped (docs/patrol.md)
      return {
        method: 'POST',
        path: `/api/v1/staff/${item.staffId}/positions`,
        headers,
        json: { positions: item.positions },
      };
    case KIND.TASK_PHOTO: {
      const form = new FormData();
      form.append('check', item.check);
      form.append('photo', blobOf(item.photo), item.photo.name);
      return { method: 'POST', path: `/api/v1/tasks/${item.taskId}/photos`, headers, form };
    }
    case KIND.TASK_COMPLETE: {
      const answers = item.answers.map(({ photoKeys = [], ...a }) => ({
        ...a,
        mediaIds: [...(a.mediaIds ?? []), ...photoKeys.map((k) => results.get(k)?.mediaId).filter((id) => id != null)],
      }));
      return {
        method: 'POST',
        path: `/api/v1/tasks/${item.taskId}/complete`,
        headers,
        json: { expectedVersion: item.expectedVersion, answers, ...(item.note ? { note: item.note } : {}) },
      };
    }
    default:
      throw new Error(`unknown queued kind ${item.kind}`);
  }
}
