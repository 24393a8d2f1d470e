/** The DOM id of the input for a field path: "emails[1].address" → "f-emails-1-address". */
export function fieldId(path: string): string {
  return 'f-' + path.replace(/[^A-Za-z0-9_]+/g, '-').replace(/-+$/, '');
}

/** aria attributes for an input whose field may carry an error. */
export function errorAttrs(errors: Record<string, string>, path: string) {
  const has = Boolean(errors[path]);
  return {
    id: fieldId(path),
    'aria-invalid': has ? ('true' as const) : undefined,
    'aria-describedby': has ? `${fieldId(path)}-error` : undefined,
  };
}
