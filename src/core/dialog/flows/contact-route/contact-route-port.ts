/**
 * The person's contact preference (issue 19, item 3): the route proactive messages try first
 * (people.preferred_route, read by src/delivery/recipients.ts). null: no preference, the configured order.
 */
export const CONTACT_ROUTES = ['chat', 'wechat_oa', 'sms'] as const;
export type ContactRoute = (typeof CONTACT_ROUTES)[number];

/** Why a route cannot carry messages to this person now. */
export type RouteRefusal =
  /** SMS needs a mobile number on record. */
  | 'no_phone'
  /** This deployment sends no SMS (SMS_PROVIDER unset, or SMS left out of DELIVERY_FALLBACK). */
  | 'sms_off'
  /** The person has never written to the WeChat Service Account (or it stopped reaching them). */
  | 'no_oa_identity'
  /** This deployment has no WeChat Service Account route. */
  | 'oa_off'
  /** No chat the bot can write to unprompted (this one cannot, and there is no other). */
  | 'no_chat';

export type RouteAvailability =
  /** `channel`: where messages go on this route (for 'chat': the chat that would be used, e.g. 'telegram'). */
  { ok: true; channel: string } | { ok: false; reason: RouteRefusal };

export interface ContactRouteOptions {
  current: ContactRoute | null;
  routes: Record<ContactRoute, RouteAvailability>;
}

/** The preference store and what is possible for a person (services/contact-route-service.ts). */
export interface ContactRoutePort {
  options(personId: string): Promise<ContactRouteOptions>;
  /** Sets (or, with null, clears) the preference. */
  set(personId: string, route: ContactRoute | null): Promise<void>;
}
