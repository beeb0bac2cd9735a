// One GraphQL call to this gateway's endpoint with the signed-in token: the pages' only way to data.

export async function postGraphQL(token, body, headers = {}) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
  return response.json();
}
