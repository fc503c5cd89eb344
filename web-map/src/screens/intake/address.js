// Address search as the user types (GET /api/v1/geocode, docs/addresses.md): debounced, at most one
// answer shown per keystroke pause, and a stale answer (to text since changed) dropped. Pure: the
// timer and the search are passed in, so the logic is tested without a browser or a server.

export const MIN_LENGTH = 2;
export const MAX_LENGTH = 200;
export const DELAY_MS = 250;

/** The lookup's path for this text, or null when it is too short or too long to search. */
export function geocodePath(text, limit = 6) {
  const q = (text ?? '').trim();
  if ([...q].length < MIN_LENGTH || q.length > MAX_LENGTH) return null;
  return `/api/v1/geocode?q=${encodeURIComponent(q)}&limit=${limit}`;
}

/**
 * A type-ahead: call input(text) on every keystroke; search(path) runs once the user pauses for
 * `delay` ms, and onResults(candidates, text) gets its answer only if the text is still current.
 */
export function createTypeahead({
  search,
  onResults,
  onError = () => {},
  delay = DELAY_MS,
  setTimer = setTimeout,
  clearTimer = clearTimeout,
}) {
  let timer = null;
  let seq = 0;
  return {
    input(text) {
      if (timer !== null) clearTimer(timer);
      timer = null;
      const mine = ++seq;
      const path = geocodePath(text);
      if (!path) {
        onResults([], text);
        return;
      }
      timer = setTimer(async () => {
        timer = null;
        try {
          const answer = await search(path);
          if (mine === seq) onResults(answer?.candidates ?? [], text);
        } catch (err) {
          if (mine === seq) onError(err);
        }
      }, delay);
    },
    cancel() {
      if (timer !== null) clearTimer(timer);
      timer = null;
      seq++;
    },
  };
}

/** The candidate the user picked: the one whose address is the text exactly, if any. */
export function pickedCandidate(candidates, text) {
  const v = (text ?? '').trim();
  return candidates.find((c) => c.address === v) ?? null;
}
