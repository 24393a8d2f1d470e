/**
 * The customer profile's fields as the core's draft names them, with the label the form gives
 * each: one list for the form's error lines and the merge's "fills" and "keeps its own".
 */
import type { MessageKey } from './i18n/index.svelte';

export const PROFILE_FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  full_name: 'form.fullName',
  given_name: 'form.givenName',
  family_name: 'form.familyName',
  title: 'form.title',
  customer_type: 'form.type',
  company: 'form.company',
  job_title: 'form.jobTitle',
  emails: 'form.emails',
  phones: 'form.phones',
  addresses: 'form.addresses',
  preferred_contact: 'form.preferredContact',
  language: 'form.language',
  birthday: 'form.birthday',
  occasions: 'form.occasions',
  source: 'form.source',
  source_detail: 'form.sourceDetail',
  referred_by: 'form.referredBy',
  ring_size: 'form.ringSize',
  wrist_cm: 'form.wrist',
  preferences: 'merge.field.preferences',
  influence: 'form.influence',
  tags: 'form.tags',
  consents: 'form.sectionConsent',
};
