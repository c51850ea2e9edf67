import { describe, expect, it } from 'vitest';
import { sseEvent, toInbound, toWebMessages } from '../../src/channels/web/web-mapper';
import { PageStream } from '../../src/channels/web/web-page-stream';
import { html, jsonForScript } from '../../src/http/html';

describe('web mapper', () => {
  it('cuts a long message on sentence ends and keeps the choices with its last part', () => {
    const text = '第一句很长的话。'.repeat(700);
    const parts = toWebMessages({ text, choices: ['好的', '不用了'] }, 4000);
    expect(parts.length).toBe(2);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts[0]!.text.endsWith('。')).toBe(true);
    expect(parts[0]!.choices).toEqual([]);
    expect(parts[1]!.choices).toEqual(['好的', '不用了']);
  });

  it('passes a tapped button as the choice number, with the login as chat and sender', () => {
    const m = toInbound(
      { loginId: 's-1', text: '报名这个班', choice: 1, messageId: 'abcdefgh' },
      new Date(0),
    );
    expect(m).toMatchObject({
      id: 'web:abcdefgh',
      address: { channel: 'web', chatId: 's-1' },
      senderId: 's-1',
      choiceIndex: 1,
    });
  });

  it('frames an event so that line breaks in a message cannot end it early', () => {
    const event = sseEvent('message', '7', { text: 'a\n\nevent: evil\ndata: x' });
    expect(event.split('\n\n')).toHaveLength(2);
    expect(event).toBe('id: 7\nevent: message\ndata: {"text":"a\\n\\nevent: evil\\ndata: x"}\n\n');
  });
});

describe('page stream', () => {
  it('shows the backlog first, then what arrived meanwhile, each message once and in order', () => {
    const shown: string[] = [];
    const stream = new PageStream(
      (item) => shown.push(item.id),
      () => undefined,
    );
    stream.push([{ id: '12', text: 'b', choices: [] }]);
    stream.push([{ id: '11', text: 'a', choices: [] }]);
    stream.open([
      { id: '10', text: 'x', choices: [] },
      { id: '11', text: 'a', choices: [] },
    ]);
    stream.push([
      { id: '12', text: 'b', choices: [] },
      { id: '13', text: 'c', choices: [] },
    ]);
    expect(shown).toEqual(['10', '11', '12', '13']);
  });
});

describe('html templates', () => {
  it('escape every value', () => {
    const name = '<img src=x onerror="alert(1)">&\'';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</p>',
    );
  });

  it('keep nested templates and join lists', () => {
    expect(html`<ul>${['<a>', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.value).toBe(
      '<ul><li>&lt;a&gt;</li><li>b</li></ul>',
    );
  });

  it('embed JSON that cannot close its script tag', () => {
    const out = jsonForScript({ text: '</script><script>alert(1)</script>' }).value;
    expect(out).not.toContain('</script>');
    expect(JSON.parse(out)).toEqual({ text: '</script><script>alert(1)</script>' });
  });
});
