/* Server-Sent Events read with fetch(), so that the token goes in the
 * Authorization header (EventSource cannot send one, and a token must
 * never be in a URL).  The text/event-stream format is parsed as the HTML
 * standard says (id, event, data fields; a blank line dispatches; lines
 * starting with ':' are comments), and after an error the stream is opened
 * again with Last-Event-ID, so that no change is missed. */
'use strict';

window.truceStream = function (opts) {
  // opts.url(): the stream's path and query; opts.token(): the bearer
  // token; opts.onmessage(type, data, id); opts.onstate(state): 'open',
  // 'retry', 'unauthorized' or 'closed'.
  let lastId = null;
  let stopped = false;
  let controller = null;
  let delay = 500;

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  async function readAll(body) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let type = '';
    let data = [];
    let id = null;
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done)
        return;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        let line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line.endsWith('\r'))
          line = line.slice(0, -1);
        if (line === '') {
          if (id !== null)
            lastId = id;
          if (data.length)
            opts.onmessage(type || 'message', data.join('\n'), lastId);
          type = '';
          data = [];
          id = null;
          continue;
        }
        if (line[0] === ':')
          continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value[0] === ' ')
          value = value.slice(1);
        if (field === 'data')
          data.push(value);
        else if (field === 'event')
          type = value;
        else if (field === 'id' && value.indexOf('\0') < 0)
          id = value;
      }
    }
  }

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      const headers = { Authorization: 'Bearer ' + opts.token(), Accept: 'text/event-stream' };
      if (lastId !== null)
        headers['Last-Event-ID'] = lastId;
      let wait = delay;
      try {
        const response = await fetch(opts.url(), {
          headers: headers, signal: controller.signal, cache: 'no-store'
        });
        if (response.status === 401 || response.status === 403) {
          opts.onstate('unauthorized');
          return;
        }
        if (response.ok && response.body) {
          opts.onstate('open');
          delay = 500;
          await readAll(response.body);
        } else {
          wait = 30000; // no stream here (yet): try again now and then
        }
      } catch (e) {
        // network error or aborted: try again below unless stopped
      }
      if (stopped)
        break;
      opts.onstate('retry');
      await sleep(wait);
      delay = Math.min(delay * 2, 15000);
    }
    opts.onstate('closed');
  }

  run();
  return {
    close: function () {
      stopped = true;
      if (controller)
        controller.abort();
    }
  };
};
