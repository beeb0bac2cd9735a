// The operations console: what failed and why, from the graph with the signed-in token, and the
// actions that fix it (each on record in the audit trail). Reloads every 10 seconds.
import { button, element } from './console-dom.js';
import { DETAIL_QUERIES, SERVICES, serviceQuery } from './console-queries.js';
import { dependencies, flows, onboardings, syncs, rejectedPatientUpdates, deadLetters, webhooks, reconciliation, traces } from './console-panels.js';
import { postGraphQL } from './graph.js';
import { tokenBar } from './sign-in.js';

const page = document.getElementById('page');
// The console grows with its panels and the window scrolls (the explorer fills the window instead).
document.body.classList.add('console');
const message = element('p', { id: 'console-message', 'aria-live': 'polite' });
const panels = element('div', { class: 'panels' });
page.append(element('div', { class: 'console-bar' }, [button('Refresh', () => load()), message]), panels);
let token = '';

/** The answer's data, or the code of its first error (FORBIDDEN, UPSTREAM_UNAVAILABLE…). */
async function ask(query, variables) {
  try {
    const { data, errors } = await postGraphQL(token, { query, variables });
    return errors?.length ? { error: errors[0].extensions?.code ?? errors[0].message } : { data };
  } catch {
    return { error: 'the gateway did not answer' };
  }
}

async function load() {
  if (!token) {
    message.textContent = 'Sign in as operations (or admin) to see the system.';
    panels.replaceChildren();
    return;
  }
  const details = Object.entries(DETAIL_QUERIES);
  const [services, answers] = await Promise.all([
    Promise.all(SERVICES.map(async (service) => {
      const { data, error } = await ask(serviceQuery(service.field));
      return { ...service, data: data?.service, error };
    })),
    Promise.all(details.map(([, query]) => ask(query))),
  ]);
  const state = { services, ...Object.fromEntries(details.map(([name], index) => [name, answers[index]])) };
  panels.replaceChildren(
    ...[dependencies, flows, onboardings, syncs, rejectedPatientUpdates, deadLetters, webhooks, reconciliation, traces].map((draw) => draw(state, act)),
  );
}

/** Runs one action, says what came of it, and shows the system as it is now. */
async function act(label, mutation, variables) {
  const answer = await ask(mutation, variables);
  message.textContent = answer.error ? `${label}: refused (${answer.error})` : `${label}: ${Object.values(answer.data.result).filter((value) => value !== null).join(' ')}`;
  await load();
}

tokenBar((next) => {
  token = next;
  message.textContent = '';
  void load();
});
setInterval(load, 10_000);
