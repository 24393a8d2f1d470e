/**
 * The screens the window does not open on, each loaded when first shown (Vite splits each into
 * a script of its own): the window's start then reads and compiles only the list, the agenda
 * and what they use. The charts' library is most of the insights' weight.
 */
export const screens = {
  settings: () => import('./components/SettingsDialog.svelte'),
  wishes: () => import('./components/WishesView.svelte'),
  import: () => import('./components/ImportView.svelte'),
  mailing: () => import('./components/MailingView.svelte'),
  backups: () => import('./components/BackupsView.svelte'),
  duplicates: () => import('./components/DuplicatesView.svelte'),
  membership: () => import('./components/MembershipView.svelte'),
  insights: () => import('./components/InsightsView.svelte'),
  arrivals: () => import('./components/ArrivalsView.svelte'),
  customer: () => import('./components/CustomerPage.svelte'),
  form: () => import('./components/CustomerForm.svelte'),
};
