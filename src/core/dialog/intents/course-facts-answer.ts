import type { FactKind } from '../../courses/course-fact-question';
import { mapLink, type Provision } from '../../courses/course-facts';
import type { CourseView } from '../../ports';
import { formatSessionTime } from '../format-time';
import type { Turn } from '../turn';

/** Wall-clock "09:00" in the programme's time zone. */
function clock(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/**
 * The answer to questions about one course's facts, one line per fact asked, from the course record only;
 * what the record does not state is said so (`missing`), never guessed.
 */
export function describeFacts(
  turn: Turn,
  course: CourseView,
  kinds: readonly FactKind[],
  timeZone: string,
): { text: string; missing: boolean } {
  const { t, locale } = turn;
  const f = course.facts;
  const lines = [t('courses:facts.head', { code: course.code, title: course.title[locale] })];
  let missing = false;
  const notStated = (kind: FactKind) => {
    missing = true;
    return t('courses:facts.notStated', { what: t(`courses:facts.name.${kind}`) });
  };
  const provision = (p: Provision | undefined) =>
    p ? t(`courses:facts.provision.${p}`) : t('courses:facts.provision.unknown');
  const session = course.nextSession;

  for (const kind of kinds) {
    switch (kind) {
      case 'duration':
        lines.push(f.durationDays ? t('courses:facts.duration', { days: f.durationDays }) : notStated(kind));
        break;
      case 'hours':
        if (f.dailyHours) lines.push(t('courses:facts.hours', { hours: f.dailyHours }));
        else if (session)
          lines.push(
            t('courses:facts.hoursFromSession', {
              from: clock(session.startsAt, timeZone),
              to: clock(session.endsAt, timeZone),
            }),
          );
        else lines.push(notStated(kind));
        break;
      case 'start':
        lines.push(
          session
            ? t('courses:facts.start', { when: formatSessionTime(session.startsAt, locale, timeZone) })
            : notStated(kind),
        );
        break;
      case 'lodging':
        if (!f.lodging && !f.meals && !f.lodgingNote) lines.push(notStated(kind));
        else {
          lines.push(
            t('courses:facts.lodging', { lodging: provision(f.lodging), meals: provision(f.meals) }),
          );
          if (f.lodgingNote) lines.push(t('courses:facts.note', { note: f.lodgingNote }));
          if (!f.lodging || !f.meals) missing = true;
        }
        break;
      case 'address': {
        // Without a street address the class's venue is what the record says; the map searches for it.
        const place = f.address ?? session?.venue['zh-CN'] ?? course.venue['zh-CN'];
        const where = f.address ?? (session?.venue[locale] || course.venue[locale]);
        lines.push(
          t(f.address ? 'courses:facts.address' : 'courses:facts.venue', { address: where }),
          t('courses:facts.map', { link: mapLink(place) }),
        );
        break;
      }
      case 'materials':
        lines.push(
          f.materials ? t('courses:facts.materials', { materials: f.materials[locale] }) : notStated(kind),
        );
        break;
      case 'certificate':
        lines.push(
          f.certificate
            ? t('courses:facts.certificate', { certificate: f.certificate[locale] })
            : notStated(kind),
        );
        break;
      case 'phone':
        lines.push(f.contactPhone ? t('courses:facts.phone', { phone: f.contactPhone }) : notStated(kind));
        break;
    }
  }
  if (missing) lines.push(t('courses:facts.offerPerson'));
  return { text: lines.join('\n'), missing };
}
