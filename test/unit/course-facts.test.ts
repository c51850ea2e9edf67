import { describe, expect, it } from 'vitest';
import { factQuestion } from '../../src/core/courses/course-fact-question';
import { courseFactsFromColumns, mapLink } from '../../src/core/courses/course-facts';
import { emptyChatSession, readChatSession } from '../../src/core/dialog/chat-session';
import { CURRENT_COURSE_MS, currentCourse, rememberCourse } from '../../src/core/dialog/current-course';
import { isAcknowledgement, ordinalOf } from '../../src/core/dialog/intents/course-facts-route';
import type { Turn } from '../../src/core/dialog/turn';

describe('what a follow-up asks about a course', () => {
  it('reads the everyday ways of asking each fact', () => {
    expect(factQuestion('学几天？')).toEqual(['duration']);
    expect(factQuestion('要学多久')).toEqual(['duration']);
    expect(factQuestion('每天几点上课')).toEqual(['hours']);
    expect(factQuestion('包吃住不')).toEqual(['lodging']);
    expect(factQuestion('管饭吗')).toEqual(['lodging']);
    expect(factQuestion('在哪上课')).toEqual(['address']);
    expect(factQuestion('要带什么')).toEqual(['materials']);
    expect(factQuestion('发什么证')).toEqual(['certificate']);
    expect(factQuestion('联系电话')).toEqual(['phone']);
    expect(factQuestion('什么时候开课')).toEqual(['start']);
    expect(factQuestion('how long is it')).toEqual(['duration']);
    expect(factQuestion('where is it?')).toEqual(['address']);
    expect(factQuestion('is lunch provided?')).toEqual(['lodging']);
    expect(factQuestion('is there a dorm')).toEqual(['lodging']);
    expect(factQuestion('学几天，包吃住不')).toEqual(['duration', 'lodging']);
  });

  it('leaves alone what is about signing up, the plan, one’s details or reaching a person', () => {
    for (const text of [
      '在哪报名',
      '创业补贴在哪申请',
      '我的电话写错了',
      '人工电话多少',
      'I want to contact a person',
      '过几天再说',
      '我想学电商',
      '你好',
    ]) {
      expect(factQuestion(text), text).toEqual([]);
    }
  });
});

describe('picking from a list and acknowledging', () => {
  it('reads positions in a list', () => {
    expect(ordinalOf('第二个')).toBe(2);
    expect(ordinalOf('2号')).toBe(2);
    expect(ordinalOf('第3个')).toBe(3);
    expect(ordinalOf('the second one')).toBe(2);
    expect(ordinalOf('2nd')).toBe(2);
    expect(ordinalOf('number 3')).toBe(3);
    expect(ordinalOf('我家2号楼')).toBeUndefined();
    expect(ordinalOf('second hand')).toBeUndefined();
  });

  it('knows an acknowledgement from a request', () => {
    for (const text of ['收到', '好的', '好的谢谢', '谢谢您！', 'ok', 'OK!', 'thanks', 'thank you', '👍']) {
      expect(isAcknowledgement(text), text).toBe(true);
    }
    for (const text of ['好的我要报名', '谢谢，在哪上课', 'ok where is it', '不好']) {
      expect(isAcknowledgement(text), text).toBe(false);
    }
  });
});

describe('the current course', () => {
  const turnAt = (now: Date, session = emptyChatSession()) => ({ session, now }) as unknown as Turn;

  it('is the course shown within the last half hour, then forgotten', () => {
    const shown = new Date('2026-12-04T10:00:00Z');
    const turn = turnAt(shown);
    rememberCourse(turn, 'LD-YH-01');
    const later = (ms: number) => turnAt(new Date(shown.getTime() + ms), turn.session);
    expect(currentCourse(later(CURRENT_COURSE_MS - 1000))).toEqual({ code: 'LD-YH-01', via: 'viewed' });
    expect(currentCourse(later(CURRENT_COURSE_MS + 1000))).toBeUndefined();
  });
});

describe('course facts as stored', () => {
  it('treats NULL and unknown values as not stated, and links the address to a map search', () => {
    const facts = courseFactsFromColumns({
      durationDays: null,
      lodging: 'maybe',
      meals: 'provided',
      certificate: '证',
    });
    expect(facts.durationDays).toBeUndefined();
    expect(facts.lodging).toBeUndefined();
    expect(facts.meals).toBe('provided');
    expect(facts.certificate).toEqual({ 'zh-CN': '证', en: '证' });
    const link = new URL(mapLink('云南省昭通市鲁甸县文屏镇 & 2号楼'));
    expect(link.searchParams.get('keyword')).toBe('云南省昭通市鲁甸县文屏镇 & 2号楼');
  });
});

describe('the current course in a stored chat session', () => {
  it('is read back, and a damaged one is dropped while the rest of the session is kept', () => {
    const course = { code: 'LD-YH-01', at: '2026-12-04T10:00:00.000Z', via: 'enrolled' };
    expect(readChatSession(JSON.stringify({ v: 1, locale: 'en', course })).session.course).toEqual(course);
    const { session } = readChatSession(JSON.stringify({ v: 1, locale: 'en', course: { code: 7 } }));
    expect(session.course).toBeUndefined();
    expect(session.locale).toBe('en');
    expect(session.repair?.issues.some((i) => i.startsWith('course:'))).toBe(true);
  });
});
