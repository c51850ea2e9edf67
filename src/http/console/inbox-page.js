// The inbox pages' live updates (served as /console/assets/inbox.js; the console's CSP forbids inline scripts).
// On every change the server lets this login see, the page fetches itself again and swaps in the part that
// changes (#inbox-live) and the navigation's count; forms are left alone, so a reply being typed survives.
// Without this script the pages work the same, by reloading.
(() => {
  if (typeof EventSource === 'undefined' || typeof DOMParser === 'undefined') return;
  const events = new EventSource('/console/inbox/events');
  let pending = false;
  let again = false;

  async function refresh() {
    if (pending) {
      again = true;
      return;
    }
    pending = true;
    try {
      const response = await fetch(`${window.location.pathname}?live=1`, { credentials: 'same-origin' });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const selector of ['#inbox-live', 'nav a[href="/console/inbox"]']) {
        const now = document.querySelector(selector);
        const next = fresh.querySelector(selector);
        if (now && next) now.replaceWith(document.importNode(next, true));
      }
      document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
    } catch {
      // The next change or a reload shows it.
    } finally {
      pending = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  let connected = false;
  events.addEventListener('ready', () => {
    // After a reconnect, changes may have been missed: read the page again.
    if (connected) void refresh();
    connected = true;
    document.body.dataset.live = 'on';
  });
  events.addEventListener('inbox', () => void refresh());
  events.addEventListener('error', () => {
    document.body.dataset.live = 'off';
  });
})();
