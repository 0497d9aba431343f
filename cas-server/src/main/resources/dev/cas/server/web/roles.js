// What a session's roles allow, as the page shows it. The page only hides what the API would
// refuse anyway: the host checks every call's role itself.

/** Whether the signed-in user has at least this role (admin > operator > user). */
export function can(session, role) {
  const roles = session?.user?.roles ?? [];
  if (role === 'admin') return roles.includes('admin');
  if (role === 'operator') return roles.includes('admin') || roles.includes('operator');
  return roles.length > 0;
}
