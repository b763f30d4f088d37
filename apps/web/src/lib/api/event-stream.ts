'use client';

import { useEffect, useRef } from 'react';
import { api, apiPath } from './client';

/** One frame of the gateway's event stream (`data` of the SSE message). */
export interface StreamEvent<D = Record<string, unknown>> {
  event_id: string;
  event_type: string;
  event_time: string;
  data: D;
}

interface Ticket {
  ticket: string;
  stream_url: string;
}

/**
 * The tenant's live events (`/v1/events/stream`) for as long as the component is mounted. Browsers
 * cannot send headers with EventSource, so each connection opens with a single-use ticket; when the
 * stream drops, a new ticket is taken (after a growing pause) instead of retrying the spent one.
 */
export function useEventStream(types: readonly string[], onEvent: (event: StreamEvent) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = types.join(',');

  useEffect(() => {
    const wanted = key.split(',').filter(Boolean);
    let source: EventSource | undefined;
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const open = async () => {
      if (stopped) return;
      try {
        const { stream_url } = await api.post<Ticket>('/v1/events/ticket');
        if (stopped) return;
        const [path, query] = stream_url.split('?');
        source = new EventSource(`${apiPath(path ?? '/v1/events/stream')}${query ? `?${query}` : ''}`);
        source.onopen = () => {
          failures = 0;
        };
        const listener = (message: MessageEvent<string>) => {
          try {
            handler.current(JSON.parse(message.data) as StreamEvent);
          } catch {
            // A frame that is not JSON is not ours to handle.
          }
        };
        for (const type of wanted) source.addEventListener(type, listener as EventListener);
        source.onerror = () => {
          source?.close();
          retry();
        };
      } catch {
        retry();
      }
    };
    const retry = () => {
      if (stopped) return;
      failures += 1;
      timer = setTimeout(open, Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)));
    };
    void open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [key]);
}
