import type { LocalizedText } from '../ports';
import type { ResultOutcome } from './results';

/** 职业技能等级证书 | 专项职业能力证书 | 培训合格证 (table certificates, column type). */
export const CERTIFICATE_TYPES = ['skill_level', 'special_ability', 'training'] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

export interface CertificateView {
  type: CertificateType;
  /** In full: it is shown only to its holder and to the person who manages the holder's sign-ups. */
  number: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  course?: { code: string; title: LocalizedText };
}

export interface CourseResultView {
  course: { code: string; title: LocalizedText };
  outcome: ResultOutcome;
  completedAt: Date;
}

/** One person's certificates and course results: the writer's own, or a family member's they signed up. */
export interface PersonOutcomes {
  /** Undefined for the writer themselves; a family member's registered name otherwise. */
  memberName?: string;
  certificates: CertificateView[];
  results: CourseResultView[];
  /** Courses still running or not yet completed by staff (confirmed sign-ups without a result). */
  pending: { code: string; title: LocalizedText }[];
}

/** "我的证书": what the dialog asks the database through (services/certificates-service.ts implements it). */
export interface CertificateLookup {
  /** The writer first, then each family member they manage (FamilyLink), oldest link first. */
  forPerson(personId: string): Promise<PersonOutcomes[]>;
}
