// Jineng web chat: plain browser JavaScript, no build step. Every text from the bot or the person is put on
// the page with textContent, never as HTML, so a message can never run a script.
(() => {
  const STRINGS = JSON.parse(document.getElementById('strings').textContent);
  const LOG_KEY = 'jineng-chat-log';
  const LANG_KEY = 'jineng-chat-lang';
  const log = document.getElementById('log');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const sendButton = document.getElementById('send');
  const status = document.getElementById('status');
  const langButton = document.getElementById('lang');
  // The server's limit on a message body: a longer paste is kept in the box with a note, never cut.
  const MAX_BYTES = Number(form.dataset.maxBytes) || 16384;
  const encoder = new TextEncoder();

  let lang = localStorage.getItem(LANG_KEY) || document.documentElement.lang;
  if (!STRINGS[lang]) lang = 'zh-CN';
  let transcript = [];
  try {
    transcript = JSON.parse(sessionStorage.getItem(LOG_KEY) || '[]');
  } catch {
    transcript = [];
  }
  let busy = false;

  const t = (key) => STRINGS[lang][key] || key;

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t('title');
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
    for (const el of document.querySelectorAll('[data-t-placeholder]')) {
      el.placeholder = t(el.dataset.tPlaceholder);
    }
  }

  function showStatus(key) {
    status.hidden = !key;
    status.textContent = key ? t(key) : '';
  }

  function save() {
    try {
      sessionStorage.setItem(LOG_KEY, JSON.stringify(transcript.slice(-200)));
    } catch {
      // Private mode or a full storage: the chat works without a saved transcript.
    }
  }

  function disableOldChoices() {
    for (const button of log.querySelectorAll('.choices button')) button.disabled = true;
  }

  /** entry: {from: 'me' | 'bot' | 'notice', text, choices?} */
  function render(entry, live) {
    if (entry.choices?.length) disableOldChoices();
    const item = document.createElement('div');
    item.className = `msg ${entry.from}`;
    const bubble = document.createElement('div');
    bubble.className = 'bubble';
    if (entry.from === 'notice') {
      const label = document.createElement('strong');
      label.className = 'label';
      label.textContent = t('notice');
      bubble.appendChild(label);
    }
    const text = document.createElement('p');
    text.className = 'text';
    text.textContent = entry.text;
    bubble.appendChild(text);
    item.appendChild(bubble);
    if (entry.choices?.length) {
      const choices = document.createElement('div');
      choices.className = 'choices';
      entry.choices.forEach((label, i) => {
        const button = document.createElement('button');
        button.type = 'button';
        // Numbered like the words around them say ("回复数字"): typing the number does the same as a tap.
        const number = document.createElement('span');
        number.className = 'n';
        number.textContent = `${i + 1}.`;
        button.append(number, ` ${label}`);
        button.disabled = !live;
        button.addEventListener('click', () => send(label, i + 1));
        choices.appendChild(button);
      });
      item.appendChild(choices);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: 'end', behavior: live ? 'smooth' : 'auto' });
  }

  function add(entry) {
    transcript.push(entry);
    save();
    render(entry, true);
  }

  async function ensureSession() {
    const response = await fetch('/api/webchat/session', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (!response.ok) throw new Error(`session ${response.status}`);
  }

  function messageId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function buildBody(text, choice) {
    const body = { text, messageId: messageId() };
    if (choice) body.choice = choice;
    return body;
  }

  function tooLong(text) {
    return encoder.encode(JSON.stringify(buildBody(text))).length > MAX_BYTES;
  }

  async function post(body) {
    return fetch('/api/webchat/messages', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async function send(text, choice, quiet) {
    if (busy || (!text.trim() && !choice)) return;
    busy = true;
    sendButton.disabled = true;
    if (choice) disableOldChoices();
    if (!quiet) add({ from: 'me', text });
    showStatus('');
    const body = buildBody(text, choice);
    try {
      let response = await post(body);
      if (response.status === 401) {
        await ensureSession();
        connectEvents();
        response = await post(body);
      }
      if (response.status === 429) return showStatus('tooFast');
      if (response.status === 413) {
        if (!input.value) input.value = text;
        return showStatus('tooLong');
      }
      if (!response.ok) return showStatus('error');
      const result = await response.json();
      for (const reply of result.replies) add({ from: 'bot', text: reply.text, choices: reply.choices });
      if (result.ended) forget();
    } catch {
      showStatus('error');
    } finally {
      busy = false;
      sendButton.disabled = false;
    }
  }

  let events;
  /** The session is gone (the person deleted their data): nothing of it is kept for the next visit. */
  function forget() {
    transcript = [];
    try {
      sessionStorage.removeItem(LOG_KEY);
    } catch {
      // Nothing was stored.
    }
    if (events) events.close();
    events = undefined;
  }

  function connectEvents() {
    if (events) events.close();
    events = new EventSource('/api/webchat/events');
    events.addEventListener('message', (event) => {
      const data = JSON.parse(event.data);
      add({ from: 'notice', text: data.text, choices: data.choices });
    });
    events.addEventListener('ready', () => showStatus(''));
    events.addEventListener('error', () => {
      if (events.readyState !== EventSource.CLOSED) showStatus('offline');
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    if (tooLong(text)) return showStatus('tooLong');
    input.value = '';
    send(text);
  });
  input.addEventListener('input', () => {
    const over = tooLong(input.value);
    if (over) showStatus('tooLong');
    else if (status.textContent === t('tooLong')) showStatus('');
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  langButton.addEventListener('click', () => {
    const message = t('switchMessage');
    lang = lang === 'en' ? 'zh-CN' : 'en';
    localStorage.setItem(LANG_KEY, lang);
    applyLanguage();
    send(message);
  });

  /** The check-in QR code opens /chat?checkin=<token>: the page sends it once and takes it out of the address. */
  function takeCheckin() {
    const params = new URLSearchParams(location.search);
    const token = params.get('checkin');
    if (token === null) return undefined;
    params.delete('checkin');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return /^[A-Za-z0-9_-]{28}$/.test(token) ? token : undefined;
  }

  async function boot() {
    const checkin = takeCheckin();
    applyLanguage();
    for (const [i, entry] of transcript.entries()) render(entry, i === transcript.length - 1);
    showStatus('connecting');
    try {
      await ensureSession();
      connectEvents();
      showStatus('');
      if (checkin) await send(`${lang === 'en' ? 'check in' : '签到'} ${checkin}`, undefined, true);
      else if (!transcript.length) await send(t('hello'), undefined, true);
    } catch {
      showStatus('error');
    }
  }

  boot();
})();
