// The token bar every page shares: paste a bearer token from the organisation's identity provider,
// or, in embedded mode only, sign in as a role and get one from the embedded issuer.
// The token is kept for this browser tab only (sessionStorage), so every page of the tab uses it.

const STORED = 'healthgraph.token';
const settings = JSON.parse(document.getElementById('page-settings').textContent);

export function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** Who a token says it is, to show beside the bar (read, not verified: the gateway verifies). */
function describe(token) {
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    const until = new Date(claims.exp * 1000).toLocaleTimeString();
    return `Signed in as ${(claims.roles ?? []).join(', ') || claims.sub} until ${until}`;
  } catch {
    return 'Token set';
  }
}

/** Draws the bar into form#sign-in and calls `onToken` with the token now and whenever it changes. */
export function tokenBar(onToken) {
  const form = document.getElementById('sign-in');
  const tokenField = element('input', { type: 'password', name: 'token', placeholder: 'Bearer token', 'aria-label': 'Bearer token', autocomplete: 'off' });
  const status = element('span', { class: 'sign-in-status', role: 'status' });
  const use = (token) => {
    sessionStorage.setItem(STORED, token);
    tokenField.value = token;
    status.textContent = token ? describe(token) : 'Not signed in';
    onToken(token);
  };
  form.append(tokenField, element('button', { type: 'submit' }, ['Use token']));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    use(tokenField.value.trim());
  });
  if (settings.signIn) form.append(...embeddedSignIn(use, status));
  form.append(status);
  use(sessionStorage.getItem(STORED) ?? '');
}

/** Embedded mode: a role (and the patient or organisation it is bound to), and a button. */
function embeddedSignIn(use, status) {
  const roles = settings.signIn.roles;
  const role = element('select', { name: 'role', 'aria-label': 'Role' }, roles.map(({ name }) => element('option', { value: name }, [name])));
  role.value = settings.signIn.role;
  const binding = element('input', { name: 'binding', 'aria-label': 'Bound to', hidden: '' });
  const showBinding = () => {
    const bindsTo = roles.find(({ name }) => name === role.value)?.bindsTo;
    binding.hidden = !bindsTo;
    binding.placeholder = bindsTo === 'patient' ? 'patient id, e.g. pat-0001' : 'organisation id, e.g. pay-01';
  };
  role.addEventListener('change', showBinding);
  showBinding();
  const button = element('button', { type: 'button' }, ['Sign in']);
  button.addEventListener('click', async () => {
    const bindsTo = roles.find(({ name }) => name === role.value)?.bindsTo;
    const response = await fetch('/pages/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: role.value, ...(bindsTo ? { [bindsTo]: binding.value.trim() } : {}) }),
    });
    const answer = await response.json();
    if (answer.token) use(answer.token);
    else status.textContent = answer.errors?.[0]?.message ?? 'Sign-in failed';
  });
  return [element('span', { class: 'sign-in-or' }, ['or sign in as']), role, binding, button];
}

