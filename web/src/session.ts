/**
 * Who is using the app (GET /api/me) and writes that prove it: a signed-in session sends its CSRF token
 * with every POST. With no accounts on the server (personal mode) nobody signs in.
 */
export interface Me { user: { id: string; name: string; role: 'viewer' | 'analyst' | 'admin' } | null; via: string; csrf: string | null; publicRead: boolean }

let me: Me = { user: null, via: 'none', csrf: null, publicRead: true };
const listeners: ((m: Me) => void)[] = [];

export async function loadMe(): Promise<Me> {
  me = (await (await fetch('/api/me')).json()) as Me;
  for (const f of listeners) f(me);
  return me;
}
export const current = (): Me => me;
export const onMe = (f: (m: Me) => void): void => void listeners.push(f);
export const canEdit = (): boolean => me.user !== null && me.user.role !== 'viewer';

export async function post<T>(path: string, body: unknown): Promise<T> {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...(me.csrf ? { 'x-csrf-token': me.csrf } : {}) }, body: JSON.stringify(body) });
  const j = (await r.json().catch(() => ({}))) as T & { error?: string; detail?: string };
  if (!r.ok) throw new Error(j.detail ?? j.error ?? String(r.status));
  return j;
}

/** A sign-in box in the page's header: a form when signed out (in team mode), the name and a sign-out button when in. */
export function mountSignIn(header: HTMLElement): void {
  const box = document.createElement('div');
  box.className = 'signin';
  header.append(box);
  const render = (m: Me): void => {
    box.replaceChildren();
    if (m.via === 'personal') {
      box.textContent = 'personal mode';
      box.title = 'No accounts on this server: it serves this machine only, and you may edit.';
      return;
    }
    if (m.user) {
      const out = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Sign out' });
      out.addEventListener('click', async () => {
        await post('/api/logout', {});
        await loadMe();
      });
      box.append(`${m.user.name} (${m.user.role}) `, out);
      return;
    }
    const form = document.createElement('form');
    const user = Object.assign(document.createElement('input'), { placeholder: 'user', autocomplete: 'username', required: true });
    const pass = Object.assign(document.createElement('input'), { type: 'password', placeholder: 'password', autocomplete: 'current-password', required: true });
    user.setAttribute('aria-label', 'User');
    pass.setAttribute('aria-label', 'Password');
    const msg = document.createElement('span');
    form.append(user, pass, Object.assign(document.createElement('button'), { type: 'submit', textContent: 'Sign in' }), msg);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await post('/api/login', { user: user.value, password: pass.value });
        await loadMe();
      } catch (err) {
        msg.textContent = ` ${(err as Error).message}`;
      }
    });
    box.append(form);
  };
  onMe(render);
  render(me);
}
