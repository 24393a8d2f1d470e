/** The erase dialog's confirmation: the typed name must be the customer's (spaces and case aside). */
export function sameName(typed: string, name: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  return norm(typed) !== '' && norm(typed) === norm(name);
}

/** The sentence saying how many backups still hold the person (`erase.holding*`). */
export function holdingKey(count: number): 'erase.holdingNone' | 'erase.holdingOne' | 'erase.holdingMany' {
  return count === 0 ? 'erase.holdingNone' : count === 1 ? 'erase.holdingOne' : 'erase.holdingMany';
}
