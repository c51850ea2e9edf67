import { describe, expect, it } from 'vitest';
import {
  type BroadcastTarget,
  matchTargets,
  parseBroadcastRequest,
} from '../../src/core/broadcast/broadcast-request';
import { inviteCodeIn, withCommandRoutes } from '../../src/core/dialog/intents/command-routes';

describe('parseBroadcastRequest', () => {
  it.each([
    ['通知电商班:明天上午9点改到201教室', '电商班', '明天上午9点改到201教室'],
    ['给焊工班发通知 明天停课一天', '焊工班', '明天停课一天'],
    ['通知厨师班的学员明天带身份证', '厨师班', '明天带身份证'],
    ['群发:电工班周六补课', '电工班', '周六补课'],
    ['帮我给电商班群发一下 明天交作业', '电商班', '明天交作业'],
    ['给汽修班发通知:周四上午9点集合', '汽修班', '周四上午9点集合'],
    ['公告:本周培训照常进行', '', '本周培训照常进行'],
    [
      "notify the welding class: tomorrow's session moves to room 201",
      'welding class',
      "tomorrow's session moves to room 201",
    ],
    ['tell the chef class that the exam is on Friday', 'chef class', 'the exam is on Friday'],
  ])('%s', (text, target, body) => {
    expect(parseBroadcastRequest(text)).toMatchObject({ target, body });
  });

  it('reads a command with a course code, and notices "all students"', () => {
    expect(parseBroadcastRequest('/broadcast zx-ds-01 明天停课')).toEqual({
      code: 'ZX-DS-01',
      target: 'ZX-DS-01',
      body: '明天停课',
      everyone: false,
    });
    expect(parseBroadcastRequest('/broadcast ZX-DS-01')).toMatchObject({ code: 'ZX-DS-01', body: '' });
    expect(parseBroadcastRequest('通知所有学员 下午2点考试')).toMatchObject({
      everyone: true,
      body: '下午2点考试',
    });
  });
});

describe('matchTargets', () => {
  const course = (
    code: string,
    trade: BroadcastTarget['trade'],
    county: BroadcastTarget['county'],
    title = code,
  ) => ({
    code,
    trade,
    county,
    title: { 'zh-CN': title, en: title },
  });
  const scope = [
    course('ZX-DS-01', 'ecommerce', 'zhenxiong', '农村电商直播带货班'),
    course('ZX-HG-01', 'welder', 'zhenxiong'),
    course('LD-DS-01', 'ecommerce', 'ludian'),
  ];
  const q = { target: 'x', everyone: false, trades: [] as BroadcastTarget['trade'][] };

  it('finds by code, by trade (narrowed by county), by title words, or all', () => {
    expect(matchTargets(scope, { ...q, code: 'ZX-HG-01' }).map((c) => c.code)).toEqual(['ZX-HG-01']);
    expect(matchTargets(scope, { ...q, trades: ['ecommerce'] })).toHaveLength(2);
    expect(matchTargets(scope, { ...q, trades: ['ecommerce'], county: 'ludian' }).map((c) => c.code)).toEqual(
      ['LD-DS-01'],
    );
    expect(matchTargets(scope, { ...q, target: '直播带货班' }).map((c) => c.code)).toEqual(['ZX-DS-01']);
    expect(matchTargets(scope, { ...q, everyone: true })).toHaveLength(3);
  });

  it('finds nothing for a class outside the scope, whether it exists or not', () => {
    expect(matchTargets(scope, { ...q, code: 'QJ-DS-01' })).toEqual([]);
    expect(matchTargets(scope, { ...q, target: '火箭班', trades: ['chef'] })).toEqual([]);
  });
});

describe('command routes', () => {
  const nlu = withCommandRoutes({
    understand: () => ({ intent: 'unknown', confidence: 0.1, slots: {} }),
    detectLocale: () => undefined,
  });

  it('routes invite codes, /broadcast and report requests before the classifier', () => {
    expect(nlu.understand('/start AB12CD34').intent).toBe('coordinator.redeem');
    expect(nlu.understand('邀请码：ab12cd34').intent).toBe('coordinator.redeem');
    expect(nlu.understand('/start').intent).toBe('greeting');
    expect(nlu.understand('/broadcast ZX-DS-01 hi').intent).toBe('broadcast.send');
    expect(nlu.understand('投递报告').intent).toBe('broadcast.report');
    expect(nlu.understand('delivery report').intent).toBe('broadcast.report');
    expect(nlu.understand('培训要钱吗').intent).toBe('unknown');
    expect(inviteCodeIn('邀请码 ab12cd34')).toBe('AB12CD34');
    expect(inviteCodeIn('我的邀请码是 AB12CD')).toBe('AB12CD');
    expect(inviteCodeIn('邀请码')).toBeUndefined();
    expect(inviteCodeIn('invite')).toBeUndefined();
    expect(inviteCodeIn('invite code:')).toBeUndefined();
  });
});
