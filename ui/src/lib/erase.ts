/** The erase dialog's confirmation: the typed name must be the customer's (spaces and case aside). */
export function sameName(typed: string, name: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  return norm(typed) !== '' && norm(typed) === norm(name);
}
