/*
 * FlatRender's web push service worker (served from this origin, registered by the notification
 * settings page). The notification service sends an encrypted payload
 * { notification_id, kind, title, body, link, lang, dir }; a click opens its link in this web app.
 */

/** Only paths of this web app are opened: a payload can never send the person elsewhere. */
function pageOf(link) {
  const path =
    typeof link === 'string' && link.startsWith('/') && !link.startsWith('//') ? link : '/account/inbox';
  return new URL(path, self.location.origin).href;
}

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(data.title || 'FlatRender', {
      body: data.body || '',
      dir: data.dir === 'rtl' || data.dir === 'ltr' ? data.dir : 'auto',
      lang: data.lang || '',
      tag: data.notification_id || undefined,
      data: { url: pageOf(data.link) },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data?.url || pageOf(null);
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === url && 'focus' in client) return client.focus();
      }
      return self.clients.openWindow(url);
    }),
  );
});
