// The subscribe page's script (wechat-oa-subscribe-page.ts): wx.config with the server's signature, then the
// <wx-open-subscribe> button's success / error events. Plain browser JavaScript (ES2020), no build step.
(() => {
  const strings = JSON.parse(document.getElementById('strings').textContent);
  const status = document.getElementById('status');
  const configEl = document.getElementById('wx-config');

  const show = (key, tone) => {
    status.textContent = strings[key] || '';
    status.className = tone ? `status ${tone}` : 'status';
    status.hidden = false;
  };

  // No signature (no notices, or no jsapi_ticket): the server already wrote why.
  if (!configEl) return;
  const config = JSON.parse(configEl.textContent);

  if (!/micromessenger/i.test(navigator.userAgent)) {
    show('outsideWechat', 'note');
    return;
  }
  const wx = window.wx;
  if (typeof wx?.config !== 'function') {
    show('unavailable', 'error');
    return;
  }
  if (location.href.split('#')[0] !== config.url) {
    // WeChat checks the signature against this page's address: tell the operator why it would fail.
    console.warn(`the page was signed for ${config.url} (set CHECKIN_LINK_BASE_URL to the public address)`);
  }
  wx.config({
    debug: false,
    appId: config.appId,
    timestamp: config.timestamp,
    nonceStr: config.nonceStr,
    signature: config.signature,
    jsApiList: ['checkJsApi'],
    openTagList: ['wx-open-subscribe'],
  });
  wx.error((res) => {
    show('configFailed', 'error');
    console.warn(`wx.config failed: ${res?.errMsg}`);
  });

  /** subscribeDetails: a JSON string of templateId → JSON string {"status":"accept"|"reject"|…}. */
  const accepted = (details) => {
    try {
      const parsed = typeof details === 'string' ? JSON.parse(details) : details;
      return Object.values(parsed || {}).some((item) => {
        const value = typeof item === 'string' ? JSON.parse(item) : item;
        return value?.status === 'accept';
      });
    } catch {
      return /accept/.test(String(details));
    }
  };

  const button = document.getElementById('subscribe-button');
  button.addEventListener('success', (e) => {
    show(accepted(e.detail?.subscribeDetails) ? 'accepted' : 'rejected', 'ok');
  });
  button.addEventListener('error', (e) => {
    show('failed', 'error');
    console.warn(`wx-open-subscribe: ${e.detail?.errMsg}`);
  });
})();
