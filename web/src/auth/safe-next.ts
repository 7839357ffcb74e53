/**
 * The in-app path to return to after signing in, from the `next` query parameter. Only paths inside
 * this app are accepted (never `//host` or `https://…`), so the sign-in page cannot be used to send
 * people elsewhere.
 */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}

/** `/login?next=…` for the page being left. */
export function loginPath(pathname: string, search: string): string {
  const here = `${pathname}${search}`;
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}
