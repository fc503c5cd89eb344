// Server-sent events with the Bearer token. EventSource cannot send headers, so this reads the
// stream with fetch, parses it (parseSse), and reconnects with Last-Event-ID after a drop.
import { authHeaders, problemOf, ProblemError } from './client.js';

/** An incremental text/event-stream parser: feed(chunk) calls onEvent({id, event, data}) per event. */
export function createSseParser(onEvent) {
  let buffer = '';
  let data = [];
  let event = '';
  let id = null;
  let retry = null;
  const dispatch = () => {
    if (data.length > 0) onEvent({ id, event: event || 'message', data: data.join('\n') });
    data = [];
    event = '';
  };
  return {
    feed(chunk) {
      buffer += chunk;
      let nl;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          dispatch();
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') data.push(value);
        else if (field === 'event') event = value;
        else if (field === 'id' && !value.includes('\0')) id = value;
        else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
      }
    },
    get lastEventId() {
      return id;
    },
    get retry() {
      return retry;
    },
  };
}

/**
 * Opens path (e.g. '/api/v1/events?platform=MARKET') and calls onEvent({id, event, data}) with
 * data parsed as JSON when it is. onError(ProblemError) on a refused connection (not retried for
 * 4xx). Returns close().
 */
export function openEventStream(path, { onEvent, onError = () => {}, onOpen = () => {} }) {
  let controller = null;
  let closed = false;
  let lastEventId = null;
  let retryMs = 2000;
  const connect = async () => {
    controller = new AbortController();
    const parser = createSseParser((e) => {
      let data = e.data;
      try {
        data = JSON.parse(e.data);
      } catch {
        // plain text
      }
      onEvent({ ...e, data });
    });
    try {
      const headers = authHeaders({ Accept: 'text/event-stream' });
      if (lastEventId) headers['Last-Event-ID'] = lastEventId;
      const response = await fetch(path, { headers, signal: controller.signal, cache: 'no-store' });
      if (!response.ok) {
        const problem = new ProblemError(await problemOf(response));
        onError(problem);
        if (response.status < 500) return;
      } else {
        onOpen();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
          lastEventId = parser.lastEventId ?? lastEventId;
          retryMs = parser.retry ?? retryMs;
        }
      }
    } catch (e) {
      if (closed) return;
      onError(new ProblemError({ status: 0, type: 'network', title: 'network', detail: String(e.message || e) }));
    }
    if (!closed) setTimeout(connect, retryMs);
  };
  connect();
  return () => {
    closed = true;
    controller?.abort();
  };
}
